/**
 * The scratch folder uploads unpack into (`releases/.tmp/`, on the releases' file system so the final
 * move is one rename), and its clean-up at start-up.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { releasesRoot } from '../model/releaseLocation.js';

export function uploadScratchDir(dataDir: string): string {
  return path.join(releasesRoot(dataDir), '.tmp');
}

/**
 * Past this age a scratch folder belongs to no upload still running anywhere: Node's request timeout
 * (5 minutes) ends every body before, and what follows (one transaction, one rename) takes moments.
 */
export const SHARED_SCRATCH_MAX_AGE_MS = 15 * 60 * 1000;

export interface SweepOptions {
  /**
   * Other processes may use the same releases folder (PostgreSQL): then only folders older than
   * SHARED_SCRATCH_MAX_AGE_MS go, as a younger one may be another process's upload in progress.
   * Otherwise (the embedded store, which one process holds) every folder is a crashed run's leftover.
   */
  shared: boolean;
  /** @default Date.now() */
  now?: number;
}

/**
 * Removes what unfinished uploads left in the scratch folder (a crash, a kill between unpacking and
 * the final rename); start-up calls it. Never fails start-up: a folder it cannot remove stays.
 * Returns the names removed.
 */
export async function sweepUploadScratch(dataDir: string, opts: SweepOptions): Promise<string[]> {
  const scratch = uploadScratchDir(dataDir);
  const now = opts.now ?? Date.now();
  const removed: string[] = [];
  for (const name of await readdir(scratch).catch(() => [] as string[])) {
    const p = path.join(scratch, name);
    if (opts.shared) {
      const info = await stat(p).catch(() => null);
      if (info === null || now - info.mtimeMs <= SHARED_SCRATCH_MAX_AGE_MS) continue;
    }
    const ok = await rm(p, { recursive: true, force: true }).then(() => true, () => false);
    if (ok) removed.push(name);
  }
  return removed.sort();
}
