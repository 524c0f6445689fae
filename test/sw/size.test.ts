import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';

// `npm test` builds first; the budget is below Workbox routing + strategies + expiration (5,160 B, test/bench/RESULTS.md).
const BUDGET = 5000;

test(`dist/finch-sw.js is at most ${BUDGET} bytes gzip -9`, () => {
  const file = readFileSync(new URL('../../dist/finch-sw.js', import.meta.url));
  const size = gzipSync(file, { level: 9 }).length;
  expect(size).toBeGreaterThan(500);
  expect(size).toBeLessThanOrEqual(BUDGET);
});

test('dist/finch-sw.js is self-contained: no import, no export, no development text', () => {
  const code = readFileSync(new URL('../../dist/finch-sw.js', import.meta.url), 'utf8');
  expect(code).not.toMatch(/^\s*(import|export)\s/m);
  expect(code).not.toMatch(/\bimport\s*\(/);
  expect(code).not.toContain('Check the control plane');
  expect(code).toContain('finch:ack');
});
