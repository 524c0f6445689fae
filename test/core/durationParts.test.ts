/** Spans of time in their largest units: two for the console, four for the terminal. */
import { expect, test } from 'vitest';
import { durationParts } from '../../core/durationParts.js';

test.each([
  [0, [[0, 's']]],
  [-5, [[0, 's']]],
  [Number.NaN, [[0, 's']]],
  [45.9, [[45, 's']]],
  [60, [[1, 'min']]],
  [90, [[1, 'min'], [30, 's']]],
  [3_600, [[1, 'h']]],
  [3_661, [[1, 'h'], [1, 'min']]],
  [5_430, [[1, 'h'], [30, 'min']]],
  [86_400 + 59, [[1, 'd']]],
  [2_592_000, [[30, 'd']]],
])('%d s', (seconds, parts) => {
  expect(durationParts(seconds)).toEqual(parts);
});

test.each([
  [3_725, [[1, 'h'], [2, 'min'], [5, 's']]],
  [86_403, [[1, 'd'], [3, 's']]],
  [59, [[59, 's']]],
])('%d s in up to four units', (seconds, parts) => {
  expect(durationParts(seconds, 4)).toEqual(parts);
});
