/**
 * Runs a TypeScript file of this repository as a child process (through tsx, no build needed): to
 * completion with `runTs`, or until it prints a line with `startTs`, stopped later by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** PATH and HOME only, plus `env`: nothing of the test runner's environment leaks into the child. */
function spawnTs(file: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTs(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  const child = spawnTs(file, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The `finch` command on the source. */
export function runFinch(args: readonly string[], env: Record<string, string>): Promise<Finished> {
  return runTs('test/server/cli/finchFromSource.ts', args, env);
}

export interface Running {
  pid: number;
  /** SIGKILL by PID; resolves once it is gone. */
  kill(): Promise<void>;
}

/** Starts the file and resolves once its output matches `ready`; rejects if it exits first. */
export async function startTs(file: string, args: readonly string[], ready: RegExp): Promise<Running> {
  const child = spawnTs(file, args, {});
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (ready.test(out)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`${file} exited before printing ${ready}:\n${out}`)));
  });
  return {
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
