/** The time a rollout's charts cover, in buckets the reports API and the charts' text know. */
import { expect, test } from 'vitest';
import { rolloutWindow } from '../../console/pages/rolloutWindow.js';

const at = (iso: string) => Date.parse(iso);

test.each([
  ['a rollout of 50 minutes: minutes', '2026-01-01T10:00:30Z', '2026-01-01T10:50:00Z', '2026-01-01T10:00:00Z', '2026-01-01T10:51:00Z', 60],
  ['a rollout just started: the 30 minutes before now', '2026-01-01T10:00:30Z', '2026-01-01T10:00:40Z', '2026-01-01T09:30:00Z', '2026-01-01T10:01:00Z', 60],
  ['a rollout of 20 minutes: the 30 minutes before now', '2026-01-01T10:00:30Z', '2026-01-01T10:20:00Z', '2026-01-01T09:50:00Z', '2026-01-01T10:21:00Z', 60],
  ['4 hours exactly: still minutes', '2026-01-01T10:00:00Z', '2026-01-01T14:00:00Z', '2026-01-01T10:00:00Z', '2026-01-01T14:01:00Z', 60],
  ['two days: quarter hours', '2026-01-01T10:07:00Z', '2026-01-03T10:00:00Z', '2026-01-01T10:00:00Z', '2026-01-03T10:15:00Z', 900],
  ['a week: hours', '2026-01-01T10:30:00Z', '2026-01-08T10:30:00Z', '2026-01-01T10:00:00Z', '2026-01-08T11:00:00Z', 3600],
  ['a to before its from is read the other way round', '2026-01-01T10:50:00Z', '2026-01-01T10:00:30Z', '2026-01-01T10:00:00Z', '2026-01-01T10:51:00Z', 60],
])('%s', (_name, from, to, wantFrom, wantTo, bucketSeconds) => {
  expect(rolloutWindow(at(from), at(to))).toEqual({ from: at(wantFrom) / 1000, to: at(wantTo) / 1000, bucketSeconds });
});

test('a rollout longer than the reports API gives buckets for shows its last 1,500 hours', () => {
  const w = rolloutWindow(at('2026-01-01T00:00:00Z'), at('2026-06-01T00:00:00Z'));
  expect(w.bucketSeconds).toBe(3600);
  expect((w.to - w.from) / 3600).toBe(1500);
  expect(w.to).toBe(at('2026-06-01T01:00:00Z') / 1000);
});
