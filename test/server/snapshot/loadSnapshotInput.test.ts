/**
 * loadSnapshotInput reads strategies in pages: more strategies than one page holds must come back all,
 * in id order, with the rows a single query returns, on both stores.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDb } from '../../../server/db/openDb.js';
import type { ScriptDb } from '../../../server/db/ScriptDb.js';
import { loadSnapshotInput } from '../../../server/snapshot/loadSnapshotInput.js';
import { createLocation, STORES, type TestLocation } from '../harness.js';

/** Over two pages of 100, and not a multiple of 100, so the last page is a short one. */
const STRATEGIES = 257;

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`loadSnapshotInput on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let db: ScriptDb;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      db = await openDb({ dataDir: loc.dataDir, databaseUrl: loc.databaseUrl });
      await db.tx(async (q) => {
        await q.query(`INSERT INTO products (id, name) VALUES (1, 'shop')`);
        await q.query(`INSERT INTO resources (id, product_id, version, status, base_url) VALUES (1, 1, '1.0.0', 'deployed', 'https://cdn.example/shop/1.0.0/')`);
        // Every seventh one off: the snapshot leaves those out, so pages must not count on dense ids.
        await q.query(
          `INSERT INTO strategies (id, product_id, resource_id, status, priority, rule, salt)
           SELECT g, 1, 1, CASE WHEN g % 7 = 0 THEN 'off' ELSE 'gray' END, g,
                  jsonb_build_object('attr', 'userId', 'op', 'in', 'values', jsonb_build_array('u' || g, 'v' || g)), 's' || g
             FROM generate_series(1, $1::int) AS g`,
          [STRATEGIES],
        );
      });
    });

    afterAll(async () => {
      await db?.close();
      await loc?.dispose();
    });

    test('returns every strategy that is not off, in id order, with its rule', async () => {
      const input = await loadSnapshotInput(db, { ttlSeconds: 60, serviceWorkerEnabled: false });
      const expected = Array.from({ length: STRATEGIES }, (_, i) => i + 1).filter((id) => id % 7 !== 0);
      expect(input.strategies.map((s) => s.id)).toEqual(expected);
      const last = input.strategies.at(-1)!;
      expect(last).toMatchObject({ id: STRATEGIES, product: 'shop', resourceId: 1, status: 'gray', priority: STRATEGIES, salt: `s${STRATEGIES}` });
      expect(last.rule).toEqual({ attr: 'userId', op: 'in', values: [`u${STRATEGIES}`, `v${STRATEGIES}`] });
      expect(input.resources.map((r) => r.id)).toEqual([1]);
    });
  });
}
