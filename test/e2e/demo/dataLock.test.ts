// A second `npm run demo` on the data directory of one that is running refuses to wipe it: the running
// demo keeps its database, and the second start names it.
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../../demo/run.js';

const dataDir = mkdtempSync(join(tmpdir(), 'finch-demo-lock-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function aliceDashboard(url: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v1/console-version?products=dashboard&userId=alice`);
  return ((await res.json()) as { products: Record<string, { version: string }> }).products['dashboard']?.version;
}

describe('demo data directory', () => {
  test('a fresh start on a running demo\'s directory is refused; the running demo is untouched', async () => {
    const first = await startDemo({ port: 0, dataDir });
    try {
      await expect(startDemo({ port: 0, dataDir })).rejects.toMatchObject({ code: 'data-dir-locked' });
      expect(await aliceDashboard(first.url)).toBe('2.0.0');
    } finally {
      await first.stop();
    }
    const second = await startDemo({ port: 0, dataDir });
    try {
      expect(await aliceDashboard(second.url)).toBe('2.0.0');
    } finally {
      await second.stop();
    }
  });
});
