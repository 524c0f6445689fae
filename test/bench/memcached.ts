/** The memcached side of the nginx baseline: start it on a random loopback port and fill it. */
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { freePort, startChild, type Child } from './processes.js';

export interface Memcached {
  child: Child;
  port: number;
}

export async function startMemcached(binary: string): Promise<Memcached> {
  const port = await freePort();
  // One worker thread, like nginx's one worker and Finch's one process. memcached refuses to run as root
  // without -u.
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-t', '1', '-m', '256', '-c', '1024'];
  if (process.getuid?.() === 0) args.push('-u', userInfo().username);
  const child = startChild(binary, args);
  await waitForPort(port, child, 5_000);
  return { child, port };
}

async function waitForPort(port: number, child: Child, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.proc.exitCode !== null) throw new Error(`memcached exited: ${child.output().slice(-400)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`memcached did not listen on ${port} within ${timeoutMs} ms`);
}

/** Stores every entry with `set … noreply`, then waits for a `version` answer so all sets are applied. */
export function fillMemcached(port: number, entries: Iterable<[key: string, value: string]>): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let count = 0;
    let buf = '';
    s.once('error', reject);
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('VERSION')) {
        s.end();
        resolve(count);
      } else if (/ERROR/.test(buf)) {
        s.destroy();
        reject(new Error(`memcached: ${buf.slice(0, 200)}`));
      }
    });
    s.once('connect', () => {
      const chunk: string[] = [];
      for (const [k, v] of entries) {
        chunk.push(`set ${k} 0 0 ${Buffer.byteLength(v)} noreply\r\n${v}\r\n`);
        count++;
        if (chunk.length === 1000) s.write(chunk.splice(0).join(''));
      }
      s.write(chunk.join('') + 'version\r\n');
    });
  });
}
