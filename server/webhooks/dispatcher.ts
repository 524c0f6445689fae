/**
 * Sends due webhook deliveries, on a timer that `createDeps` starts. Any number of dispatchers, in
 * one process or many, may share a database: a claim takes each attempt for one of them only
 * (claimDueDeliveries). Background work: a failure is logged and retried, never thrown.
 */
import type { Db } from '../db/Db.js';
import { claimDueDeliveries, recordAttempt, type AttemptOutcome, type ClaimedDelivery } from '../store/webhookDeliveries.js';
import { DEFAULT_BACKOFF_MS, retryDelay } from './retryPolicy.js';
import { SEND_TIMEOUT_MS, sendDelivery, type SendResult } from './sendDelivery.js';

/** Deliveries sent at once per tick; the rest wait for the next tick. */
const BATCH = 20;
/**
 * How long a claim keeps a delivery from other dispatchers: well past the send timeout, so only a
 * dispatcher that died mid-attempt loses its claim (the delivery is then sent again: at least once).
 */
const CLAIM_MS = SEND_TIMEOUT_MS * 12;

export interface DispatcherOptions {
  /** Waits between failed attempts. @default DEFAULT_BACKOFF_MS */
  backoffMs?: readonly number[];
  fetch?: typeof fetch;
  /** Where failures of the dispatcher itself (not of a receiver) go. @default console.error */
  onError?: (err: unknown) => void;
}

export interface Dispatcher {
  /** Claims and sends what is due now; resolves with how many attempts were made. */
  runOnce(): Promise<number>;
  /** Runs every `intervalMs` until `stop`; a tick still running skips the next one. */
  start(intervalMs: number): void;
  /** Stops the timer, aborts attempts under way (they are retried later) and waits for them. */
  stop(): Promise<void>;
}

export function outcomeOf(result: SendResult, attempt: number, backoffMs: readonly number[]): AttemptOutcome {
  if (result.ok) return { status: 'delivered', statusCode: result.statusCode };
  const error = result.error ?? 'failed';
  const delayMs = retryDelay(backoffMs, attempt);
  if (delayMs === null) return { status: 'failed', statusCode: result.statusCode, error };
  return { status: 'retry', statusCode: result.statusCode, error, delayMs };
}

export function createDispatcher(db: Db, opts: DispatcherOptions = {}): Dispatcher {
  const backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  const onError = opts.onError ?? ((err: unknown) => console.error('finch: webhook dispatch failed; retried on the next tick:', err instanceof Error ? err.message : err));
  const stopping = new AbortController();
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | null = null;

  async function attempt(d: ClaimedDelivery): Promise<void> {
    const result = await sendDelivery(d, { ...(opts.fetch ? { fetch: opts.fetch } : {}), signal: stopping.signal });
    if (stopping.signal.aborted && !result.ok) {
      // Cut short by our shutdown, not by the receiver: due again at once, for whichever process runs next.
      await recordAttempt(db, d.id, d.attempt, { status: 'retry', statusCode: null, error: 'interrupted by a shutdown', delayMs: 0 });
      return;
    }
    await recordAttempt(db, d.id, d.attempt, outcomeOf(result, d.attempt, backoffMs));
  }

  async function runOnce(): Promise<number> {
    if (stopping.signal.aborted) return 0;
    const due = await claimDueDeliveries(db, BATCH, CLAIM_MS);
    await Promise.all(due.map((d) => attempt(d).catch(onError)));
    return due.length;
  }

  return {
    runOnce,
    start(intervalMs) {
      timer = setInterval(() => {
        if (running !== null) return;
        running = runOnce().catch((err: unknown) => {
          onError(err);
          return 0;
        }).finally(() => {
          running = null;
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
