/**
 * capYoungGeneration steers V8 through a flag V8 reads while running; a Node upgrade that stops reading
 * it would silently bring the embedded server's peak memory back. Each case runs in a fresh node
 * process, since the cap is process-wide and the young generation's size depends on the process's past.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MB = 1024 * 1024;

/**
 * Keeps many young objects alive across scavenges (what makes V8 grow the young generation), a slice
 * per event-loop turn as requests allocate, then reports the largest young generation seen.
 */
const SCRIPT = (cap: number | null): string => `
  import v8 from 'node:v8';
  import { capYoungGeneration } from './server/db/capYoungGeneration.ts';
  ${cap === null ? '' : `capYoungGeneration(${cap});`}
  const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  let max = 0;
  for (let round = 0; round < 10; round++) {
    const kept = [];
    for (let turn = 0; turn < 100; turn++) {
      for (let i = 0; i < 5_000; i++) kept.push({ i, s: 'x' + i });
      max = Math.max(max, young());
      await new Promise((r) => setImmediate(r));
    }
  }
  console.log(max);
`;

async function maxYoung(cap: number | null): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT(cap)], { cwd: ROOT });
  return Number(stdout.trim());
}

test('V8 grows the young generation past 8 MB without the cap, and not with it', async () => {
  const [free, capped] = await Promise.all([maxYoung(null), maxYoung(8 * MB)]);
  expect(free).toBeGreaterThan(8 * MB);
  expect(capped).toBeLessThanOrEqual(8 * MB);
}, 30_000);
