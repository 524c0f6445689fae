/**
 * Child processes of the bench: started with pipes, stopped by PID, never by name. Every child is
 * remembered so an interrupted run (Ctrl-C, a thrown error) still stops what it started.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export interface Child {
  pid: number;
  proc: ChildProcess;
  /** Everything the child wrote so far (stdout and stderr), for error messages. */
  output(): string;
  /** Resolves with the first output line matching `pattern`; rejects when the child exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

const live = new Set<Child>();

export function startChild(command: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (proc.pid === undefined) throw new Error(`Failed to start ${command}: no PID.`);
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    // Only the last 64 KB are kept: a chatty child must not grow the bench's memory.
    out = (out + d.toString()).slice(-65_536);
    for (const w of waiters) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.once('exit', () => {
    for (const w of waiters) w();
  });

  const child: Child = {
    pid: proc.pid,
    proc,
    output: () => out,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms. Output: ${out.slice(-800)}`));
        }, timeoutMs);
        const check = (): void => {
          const m = out.match(pattern);
          if (m) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(m);
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${command} exited (${proc.exitCode ?? proc.signalCode}) before ready. Output: ${out.slice(-800)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      live.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      process.kill(proc.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, 'SIGKILL');
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(child);
  return child;
}

/** Stops every child still running; called on the way out, whatever the way out is. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop().catch(() => undefined)));
}

const dirs = new Set<string>();

/** A temporary directory that is removed on the way out even when the run is interrupted. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Synchronous last resort for process 'exit': SIGKILL by PID, then the temporary directories. */
export function killAllSync(): void {
  for (const c of live) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

/**
 * A free loopback port, for programs that cannot listen on port 0 and say which port they got
 * (nginx, memcached). The tiny race between closing and their bind is acceptable for a benchmark.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resident set size in bytes: current (VmRSS) and peak (VmHWM), read from /proc. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** PIDs of the direct children of `pid` (nginx's workers), from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
      last = new Error(`HTTP ${res.status}`);
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(last)}`);
}
