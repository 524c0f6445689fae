// `demo/run.js` without a browser: it registers the demo's builds and strategies through the HTTP
// API, refuses to wipe a directory it did not make, and starts again on its own data with --keep-data
// semantics (fresh: false).
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../../demo/run.js';
import { client } from '../../../demo/seed.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'finch-demo-run-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function versions(url: string, userId: string, attributes: Record<string, string> = {}): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/v1/console-version`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, products: ['header', 'dashboard'], attributes }),
  });
  expect(res.status).toBe(200);
  const manifest = (await res.json()) as { products: Record<string, { version: string }> };
  return Object.fromEntries(Object.entries(manifest.products).map(([k, v]) => [k, v.version]));
}

describe('demo/run.js', () => {
  test('registers the four demo builds and their strategies, made by the admin and a publish token', async () => {
    const dataDir = tempDir();
    const demo = await startDemo({ port: 0, dataDir });
    try {
      expect(await versions(demo.url, 'alice')).toEqual({ header: '1.0.0', dashboard: '2.0.0' });
      expect(await versions(demo.url, 'bob')).toEqual({ header: '1.0.0', dashboard: '1.0.0' });
      expect(await versions(demo.url, 'carol', { group: 'beta' })).toEqual({ header: '1.1.0', dashboard: '1.0.0' });

      // Through the public API: the audit log names who made each change (no rows written behind its back).
      const api = client(demo.url);
      const cookie = await api.login('admin', 'finch-demo');
      const audit = (await api.call('GET', '/audit', { cookie })) as Record<string, unknown>;
      const rows = Object.values(audit).find(Array.isArray) as Array<{ action: string; actor: string }>;
      const actions = rows.map((r) => r.action);
      const actorsOf = (action: string): string[] => [...new Set(rows.filter((r) => r.action === action).map((r) => r.actor))];
      expect(actions.filter((a) => a === 'resource.upload')).toHaveLength(4);
      expect(actions.filter((a) => a === 'strategy.create')).toHaveLength(4);
      expect(actorsOf('resource.upload')).toEqual([expect.stringMatching(/^token:\d+$/)]);
      expect(actorsOf('strategy.create')).toEqual(['user:admin']);

      for (const file of ['/', '/host.js', '/host.css', '/finch.js', '/finch-sw.js']) {
        const res = await fetch(demo.url + file);
        expect(res.status, file).toBe(200);
      }
    } finally {
      await demo.stop();
    }
    // A second start on the same data keeps it and does not seed twice.
    const again = await startDemo({ port: 0, dataDir, fresh: false });
    try {
      expect(await versions(again.url, 'alice')).toEqual({ header: '1.0.0', dashboard: '2.0.0' });
    } finally {
      await again.stop();
    }
  });

  test('refuses to wipe a non-empty directory that the demo did not make', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'precious.txt'), 'keep me');
    await expect(startDemo({ port: 0, dataDir })).rejects.toThrow(/not made by the demo/);
    expect(existsSync(join(dataDir, 'precious.txt'))).toBe(true);
  });
});
