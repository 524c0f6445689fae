// Starts `node demo/run.js` (what `npm run demo` runs after the build) as a child process on a loopback
// port and stops it by its PID. Restarting on the same port keeps the page's origin, so the browser's
// worker, IndexedDB and caches carry over, as they would for a real user.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const URL_LINE = /Finch demo is running at (http:\/\/\S+?)\/?\s*$/m;

export interface DemoProcess {
  url: string;
  port: number;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export interface DemoOptions {
  dataDir: string;
  /** 0 for a random free port. */
  port?: number;
  /** Wipe the data directory and seed again (default), or start on what is there. */
  fresh?: boolean;
  env?: Record<string, string>;
}

export async function startDemoProcess(opts: DemoOptions): Promise<DemoProcess> {
  const args = ['demo/run.js'];
  if (opts.fresh === false) args.push('--keep-data');
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(opts.port ?? 0),
    HOST: '127.0.0.1',
    FINCH_DEMO_DATA_DIR: opts.dataDir,
    ...opts.env,
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });

  const url = await new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const m = URL_LINE.exec(out);
      if (m?.[1]) {
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        resolve(m[1]);
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`demo/run.js exited (${code}) before it was ready:\n${out}`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid ?? -1,
    output: () => out,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  // A clean stop closes the database; if it hangs, the test must still end, so force it after a while.
  const timer = setTimeout(() => { if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL'); }, 15_000);
  await exited;
  clearTimeout(timer);
}
