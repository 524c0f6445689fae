// Runs a JavaScript file with this Node to completion (a bundler's command line, the built `finch`
// command), with PATH and HOME only plus the given variables, so nothing of the runner leaks in.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node <file> <args…>` in the repository root; resolves with the exit code and output, never rejects
 * for a non-zero exit (the caller decides what a failure means).
 * @example const run = await runNode('bin/finch.js', ['publish', '--dir', dist], { FINCH_TOKEN: token });
 */
export function runNode(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<NodeRun> {
  const child = spawn(process.execPath, [file, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
