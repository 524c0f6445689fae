// Size budget of the script-tag build, idb-keyval and workbox-window's messageSW included. `npm test` builds
// first; during development run `npx rollup -c`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';

const BUDGET = 6_000;
const read = (name: string) => readFileSync(new URL(`../../dist/${name}`, import.meta.url));

test(`dist/finch.js is at most ${BUDGET} bytes gzip -9`, () => {
  const size = gzipSync(read('finch.js'), { level: 9 }).length;
  expect(size).toBeLessThanOrEqual(BUDGET);
});

test('the browser builds carry no development-only text', () => {
  for (const name of ['finch.js', 'finch.mjs']) {
    const text = read(name).toString();
    // Every DEV message in sdk/ and core/ starts like this (STYLE.md: "Failed to X: reason. Fix.").
    expect(text).not.toMatch(/Failed to|Invalid manifest|__FINCH_DEV__/);
  }
});

test('the script-tag build defines window.Finch and the module build exports createFinch and FinchError', () => {
  expect(read('finch.js').toString()).toMatch(/window\.Finch=/);
  expect(read('finch.mjs').toString()).toMatch(/export\{[^}]*as createFinch/);
});
