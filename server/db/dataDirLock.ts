/**
 * One process per embedded data directory. PGlite is PostgreSQL in one process's memory: a second
 * process opening the same files keeps its own copy of the database, so a token it writes is never
 * seen by the first and may be overwritten by it. Whoever opens the PGlite store takes this lock first.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { FinchError } from '../../core/FinchError.js';

/**
 * A holder that stops refreshing the lock for this long is taken for dead (a `kill -9`, a power cut):
 * proper-lockfile refreshes it every half of this. A live holder on this machine is recognised by its
 * pid and never taken over, so this mostly bounds how long a start after a crash waits.
 */
const STALE_MS = 10_000;
/** Between two tries while waiting for a dead holder's lock to go stale. */
const RETRY_MS = 500;

/** Who holds a data directory, written beside the lock so a refused process can name it. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** The command line, like `finch serve`. */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface DataDirLock {
  holder: LockHolder;
  release(): Promise<void>;
}

/** `<dir>.lock`, the directory proper-lockfile creates, and the holder file beside it. */
export function lockPaths(dir: string): { lock: string; holder: string } {
  const target = path.resolve(dir);
  return { lock: `${target}.lock`, holder: `${target}.lock-holder.json` };
}

/** The holder recorded for `dir`, or null when there is none or it cannot be read. */
export function readLockHolder(dir: string): LockHolder | null {
  try {
    const raw = JSON.parse(readFileSync(lockPaths(dir).holder, 'utf8')) as Partial<LockHolder>;
    if (typeof raw.pid !== 'number' || typeof raw.hostname !== 'string') return null;
    return { pid: raw.pid, hostname: raw.hostname, command: String(raw.command ?? 'unknown'), since: String(raw.since ?? 'unknown') };
  } catch {
    return null;
  }
}

/** Directories this process holds: its own pid in a holder file is then a live holder, not a past one. */
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists and belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * proper-lockfile refreshes the lock's mtime every STALE_MS / 2. A holder pid that is running while
 * its lock has not been refreshed for this long is another program that got the pid of a Finch
 * process that died: no event loop stalls for a minute.
 */
const PID_REUSE_MS = 60_000;

function refreshedWithin(lock: string, ms: number): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs < ms;
  } catch {
    return false;
  }
}

/**
 * A live holder on this machine: its pid runs and its lock is being refreshed. Our own pid without our
 * holding the lock is an earlier life of this pid: a container restarted after a crash starts
 * `finch serve` with the same pid again. Holders on other machines are judged by the lock's age alone.
 */
function isLiveHere(holder: LockHolder, dir: string): boolean {
  if (holder.hostname !== hostname()) return false;
  if (holder.pid === process.pid) return heldHere.has(dir);
  return isRunning(holder.pid) && refreshedWithin(lockPaths(dir).lock, PID_REUSE_MS);
}

/** The command line of this process, short: `finch serve` for the installed command. */
export function currentCommand(): string {
  const [script, ...args] = process.argv.slice(1);
  const name = script === undefined ? 'node' : path.basename(script).replace(/\.(c|m)?js$/, '');
  const text = name === 'finch' ? ['finch', ...args].join(' ') : ['node', script ?? '', ...args].join(' ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export function describeHolder(h: LockHolder): string {
  const where = h.hostname === hostname() ? '' : ` on ${h.hostname}`;
  return `pid ${h.pid}${where}, "${h.command}", since ${h.since}`;
}

function lockedError(dir: string, holder: LockHolder | null): FinchError {
  const who = holder === null ? 'another process (it has not said which yet)' : describeHolder(holder);
  return new FinchError(
    'data-dir-locked',
    `Failed to open the embedded database in ${path.resolve(dir)}: it is in use by ${who}. ` +
      'One process at a time may open it. Stop that process first; to create a token while "finch serve" ' +
      'runs, "finch token create" goes through the running server by itself. Several servers need PostgreSQL (DATABASE_URL).',
    { dir: path.resolve(dir), holder },
  );
}

/**
 * Takes the lock of `dir` (which need not exist yet) for this process, or throws FinchError
 * `data-dir-locked` naming its holder. A holder that died without releasing it (`kill -9`) is waited
 * out, at most STALE_MS. The lock is released by `release()`, and when the process exits.
 * @example const lock = await lockDataDir(path.join(dataDir, 'db'), { command: 'finch migrate' });
 */
export async function lockDataDir(dir: string, opts: { command?: string; log?: (message: string) => void } = {}): Promise<DataDirLock> {
  const target = path.resolve(dir);
  const paths = lockPaths(target);
  mkdirSync(path.dirname(target), { recursive: true });
  let release: () => Promise<void>;
  let waiting = false;
  // Past this, a lock that never went stale has a live holder, whatever the holder file says.
  const giveUpAt = Date.now() + 2 * STALE_MS;
  for (;;) {
    // A live holder is refused before trying: proper-lockfile alone would take over a lock whose
    // holder merely stalled for STALE_MS.
    const seen = readLockHolder(target);
    if (seen !== null && isLiveHere(seen, target)) throw lockedError(target, seen);
    try {
      release = await lockfile.lock(target, {
        lockfilePath: paths.lock,
        realpath: false,
        stale: STALE_MS,
        onCompromised: (err) => {
          // The lock was removed or taken over: stop before two processes write the same files.
          console.error(`finch: lost the lock on ${target} (${err.message}); stopping so that two processes never write one database.`);
          process.exit(70);
        },
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      const holder = readLockHolder(target);
      // Refused: a holder on another machine (its lock is fresh), or past the deadline. Waited for:
      // no holder file yet (it is between taking the lock and writing it), or a holder here that
      // died, whose lock goes stale within STALE_MS.
      if ((holder !== null && holder.hostname !== hostname()) || Date.now() > giveUpAt) throw lockedError(target, holder);
      if (holder !== null && isLiveHere(holder, target)) throw lockedError(target, holder);
      if (!waiting && holder !== null) opts.log?.(`finch: waiting for the lock left by a stopped process (${describeHolder(holder)}) to expire`);
      waiting = true;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), command: opts.command ?? currentCommand(), since: new Date().toISOString() };
  try {
    const tmp = `${paths.holder}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(holder)}\n`, { mode: 0o644 });
    renameSync(tmp, paths.holder);
  } catch (err) {
    await release();
    throw err;
  }
  heldHere.add(target);
  let released = false;
  return {
    holder,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(target);
      // The holder file goes first: while the lock still stands, nobody else can have written it.
      rmSync(paths.holder, { force: true });
      await release();
    },
  };
}
