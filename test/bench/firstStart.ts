/**
 * The first start of `finch serve` on an empty PGlite data directory: the peak resident memory of the
 * whole process tree from launch to its first answer (VmHWM; the server starts no child processes,
 * and any it had would be added), and what it holds then. Before the initialised cluster shipped with
 * the build, PGlite's initdb made this peak near 700 MB.
 */
import { rmSync } from 'node:fs';
import { startFinchServer } from './finchServer.js';
import { childPids, rssOf, tempDir } from './processes.js';

export interface FirstStart {
  /** Peak RSS of the server and its children, bytes. */
  peak: number;
  /** RSS once it answers, bytes. */
  rss: number;
}

export async function measureFirstStart(): Promise<FirstStart> {
  const dataDir = tempDir('finch-bench-first-start-');
  const server = await startFinchServer(dataDir);
  try {
    const own = server.rss();
    const children = childPids(server.pid).map((pid) => rssOf(pid).peak);
    return { peak: own.peak + children.reduce((a, b) => a + b, 0), rss: own.rss };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
