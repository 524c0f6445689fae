/** `--stages`: percent steps written as `percent:hold` pairs, the hold in seconds or with a unit. */
import { FinchError } from '../../../core/FinchError.js';
import { parseDuration } from './formatDuration.js';

/**
 * The stages of a percent plan; whether they rise and stay within limits is the plan's check.
 * @example parseStages('1:600,10:30m,50:1h') // [{percent: 1, holdSeconds: 600}, {percent: 10, holdSeconds: 1800}, …]
 */
export function parseStages(text: string): Array<{ percent: number; holdSeconds: number }> {
  const pairs = text.split(',').map((p) => p.trim());
  return pairs.map((pair, i) => {
    const m = /^(\d+(?:\.\d+)?)%?:(.+)$/.exec(pair);
    const holdSeconds = m === null ? null : parseDuration(m[2]!);
    if (m === null || holdSeconds === null) {
      throw new FinchError('invalid-input', `--stages: stage ${i + 1} is "${pair}", not percent:hold. Write them like --stages 1:600,10:30m,50:1h (hold in seconds, or with s, m, h or d).`, { field: 'stages' });
    }
    return { percent: Number(m[1]), holdSeconds };
  });
}
