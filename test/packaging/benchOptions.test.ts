/**
 * The bench records its figures in the tracked test/bench/RESULTS.md only on a full run with `--write`:
 * CI's smoke run (`--quick`) and partial runs must leave the work tree as they found it.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { readBenchOptions } from '../bench/options.js';
import { ROOT } from './npm.js';

test.each([
  [[], { quick: false, only: null, write: false }],
  [['--quick'], { quick: true, only: null, write: false }],
  [['--only=resolver,sizes'], { quick: false, only: ['resolver', 'sizes'], write: false }],
  [['--write'], { quick: false, only: null, write: true }],
])('%j reads as %j', (args, options) => {
  expect(readBenchOptions(args)).toEqual(options);
});

test.each([
  [['--write', '--quick'], '--write records a full run only'],
  [['--write', '--only=sizes'], '--write records a full run only'],
  [['--only=size'], 'no section called size'],
  [['--wrte'], "Unknown option '--wrte'"],
])('%j is refused', (args, message) => {
  expect(() => readBenchOptions(args)).toThrow(message);
});

test('the bench refuses a partial --write before anything runs, with its usage', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', '--quick', '--write'], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('Failed to start the bench: --write records a full run only');
  expect(run.stderr).toContain('Usage: npm run bench');
  expect(run.stdout).toBe('');
});
