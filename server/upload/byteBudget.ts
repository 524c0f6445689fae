import { Transform } from 'node:stream';

/** A pass-through that counts the bytes through it and fails the stream once they pass `max`. */
export interface ByteBudget extends Transform {
  /** Bytes seen so far, the one that broke the budget included. */
  readonly seen: number;
}

/**
 * Counts every byte that flows through and fails with `overBudget(seen)` as soon as more than `max`
 * went by, so the work before it (reading, inflating) stops at the budget, not at the end of the data.
 */
export function byteBudget(max: number, overBudget: (seen: number) => Error): ByteBudget {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(overBudget(seen));
      else done(null, chunk);
    },
  });
  return Object.defineProperty(t, 'seen', { get: () => seen }) as ByteBudget;
}
