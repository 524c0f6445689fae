import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { VERSION } from '../../sdk/version.js';

test('sdk/version.ts says the version package.json says', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(VERSION).toBe(pkg.version);
});
