/**
 * The bench's command line. Only a full run with `--write` records itself in the tracked
 * test/bench/RESULTS.md: CI's smoke run (`--quick`) and partial runs (`--only=`) leave the tree clean.
 */
import { parseArgs } from 'node:util';

/** The sections, in the order their tables are printed (the README's), not the order they run in. */
export const SECTIONS = ['console-version', 'resolver', 'sizes', 'browser', 'rollouts'];

export const USAGE = `Usage: npm run bench [-- --quick] [-- --only=${SECTIONS.join(',')}] [-- --write]`;

export interface BenchOptions {
  /** Short loads and fewer ids: CI's smoke run. */
  quick: boolean;
  /** The sections to run; null for all. */
  only: string[] | null;
  /** Write test/bench/RESULTS.md. */
  write: boolean;
}

/** Reads the bench's arguments; throws with what to do on an unknown option or section, or a partial `--write`. */
export function readBenchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({ args, options: { quick: { type: 'boolean' }, only: { type: 'string' }, write: { type: 'boolean' } } });
  const options = { quick: values.quick === true, only: values.only?.split(',') ?? null, write: values.write === true };
  const unknown = options.only?.filter((name) => !SECTIONS.includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`--only names no section called ${unknown.join(', ')}.`);
  if (options.write && (options.quick || options.only !== null)) {
    throw new Error('--write records a full run only; drop --quick and --only, or drop --write to print the tables alone.');
  }
  return options;
}
