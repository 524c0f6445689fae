/**
 * `--watch`: follows a rollout until it ends. It asks the server once a second; on a terminal the
 * block is redrawn in place (the hold's time left ticks down), in a log one line is printed per
 * change, and with --json one JSON line per change. Ctrl-C stops it at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ENDED_STATES } from '../../../core/index.js';
import { isFinchError } from '../../../core/FinchError.js';
import type { RolloutInfo } from '../../../core/apiTypes.js';
import { liveBlock, type LiveOut } from './liveBlock.js';
import { changeLine, renderRollout } from './renderRollout.js';

/** Once a second: the hold's countdown moves by seconds, and the engine ticks about as often. */
export const WATCH_INTERVAL_MS = 1000;
/**
 * Failed reads in a row (server unreachable, 5xx, 429) before giving up: a restart of the control
 * plane is ridden out, a server that is gone ends the command instead of polling forever.
 */
export const MAX_FAILED_READS = 5;

export interface WatchOptions {
  /** Reads the rollout from the server again. */
  read(): Promise<RolloutInfo>;
  out: LiveOut;
  /** Where a log gets notes about failed reads (a terminal gets them inside the block). */
  err: { write(text: string): unknown };
  /** The local clock, epoch ms. */
  now(): number;
  version: string | null;
  json: boolean;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
  /** @default WATCH_INTERVAL_MS */
  intervalMs?: number;
}

const changeKey = (r: RolloutInfo): string => `${r.version}|${r.state}|${r.stageIndex}|${r.decision.at}`;

/** Worth asking again: the server may be restarting or busy. */
function transient(err: unknown): boolean {
  if (!isFinchError(err)) return false;
  const status = err.details['httpStatus'];
  return err.code === 'network-error' || (typeof status === 'number' && (status >= 500 || status === 429));
}

/** Resolves with `p`, or with null as soon as `signal` aborts. */
async function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | null> {
  // An abort that came before the listener would never fire it.
  if (signal.aborted) {
    p.catch(() => undefined);
    return null;
  }
  let stop = (): void => undefined;
  const aborted = new Promise<null>((resolve) => {
    stop = () => resolve(null);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * Shows `first`, then follows the rollout; resolves with it once it has ended, or with null when
 * `signal` aborted first. A read that fails for good (404, 401, …) or too often in a row is thrown.
 */
export async function watchRollout(first: RolloutInfo, o: WatchOptions): Promise<RolloutInfo | null> {
  const live = o.out.isTTY === true && !o.json ? liveBlock(o.out) : null;
  const show = (r: RolloutInfo, note: string | null, changed: boolean): void => {
    if (live !== null) live.draw([...renderRollout(r, o.now(), o.version), ...(note === null ? [] : [`  (${note})`])]);
    else if (changed) o.out.write(`${o.json ? JSON.stringify(r) : changeLine(r)}\n`);
  };
  let r = first;
  // A log gets the whole block once, then a line per change.
  if (live === null && !o.json) o.out.write(renderRollout(r, o.now(), o.version).map((l) => `${l}\n`).join(''));
  else show(r, null, true);
  let failed = 0;
  while (!ENDED_STATES.includes(r.state)) {
    await sleep(o.intervalMs ?? WATCH_INTERVAL_MS, undefined, { signal: o.signal }).catch(() => undefined);
    if (o.signal.aborted) return null;
    let next: RolloutInfo | null;
    try {
      next = await unlessAborted(o.read(), o.signal);
    } catch (err) {
      if (!transient(err) || ++failed >= MAX_FAILED_READS) throw err;
      const note = `${(err as Error).message} Asking again in a moment (${failed} failed in a row; ${MAX_FAILED_READS} end the watch).`;
      if (live !== null) show(r, note, false);
      else o.err.write(`finch rollout: ${note}\n`);
      continue;
    }
    if (next === null) return null;
    failed = 0;
    const changed = changeKey(next) !== changeKey(r);
    r = next;
    show(r, null, changed);
  }
  return r;
}
