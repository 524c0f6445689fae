// Where login takes the manifest from: fresh stored copy, control plane, stale stored copy, nothing.
import { expect, test } from 'vitest';
import { chooseSource } from '../../sdk/chooseSource.js';
import type { StoredAge } from '../../sdk/chooseSource.js';

const MAX_STALE = 7 * 86_400_000;
const stored = (ageMs: number, ttlMs = 300_000): StoredAge => ({ ageMs, ttlMs });

test.each<[string, StoredAge | null, boolean | undefined, string]>([
  ['nothing stored, not asked yet', null, undefined, 'ask'],
  ['nothing stored, the control plane answered', null, true, 'network'],
  ['nothing stored, no answer', null, false, 'none'],
  ['fresh stored copy: no question asked', stored(100_000), undefined, 'cache'],
  ['fresh stored copy wins over any answer', stored(100_000), false, 'cache'],
  ['a stored copy just past its ttl asks', stored(300_000), undefined, 'ask'],
  ['old stored copy, the control plane answered', stored(3_600_000), true, 'network'],
  ['old stored copy, no answer, younger than maxStale', stored(3_600_000), false, 'stale'],
  ['old stored copy, no answer, exactly maxStale old', stored(MAX_STALE), false, 'none'],
  ['ttl 0: always asks', stored(0, 0), undefined, 'ask'],
  ['a stored copy from the future (clock moved back) counts as fresh', stored(-5_000), undefined, 'cache'],
])('%s → %s', (_name, age, answered, expected) => {
  expect(chooseSource(age, answered as boolean, MAX_STALE)).toBe(expected);
});
