/**
 * The audit log and GET /audit on the real app and database: every acknowledged mutation (also concurrent ones)
 * has exactly one audit row; when the audit insert fails, the mutation fails and leaves nothing behind;
 * admins read the log filtered by product, time and actor, page by page.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { auditCount, listTree, newResource, tarGz, upload } from '../builds/support.js';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`audit on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test('acknowledged mutations = audit rows, one each, under concurrency', async () => {
      const a0 = await auditCount(s);
      const ids0 = (await s.deps.db.query<{ id: string }>('SELECT max(id)::text AS id FROM audit')).rows[0]?.id ?? '0';
      const calls = [
        ...Array.from({ length: 10 }, (_, i) => () => s.call('POST', '/api/v1/products', { name: `r20-${i}` }, s.auth.admin)),
        // five of these collide on one name: exactly one is acknowledged
        ...Array.from({ length: 5 }, () => () => s.call('POST', '/api/v1/products', { name: 'r20-same' }, s.auth.admin)),
        ...Array.from({ length: 4 }, (_, i) => () => s.call('POST', '/api/v1/users', { username: `r20u${i}`, password: 'r20-password', role: 'viewer' }, s.auth.admin)),
        ...Array.from({ length: 6 }, (_, i) => () => s.call('POST', '/api/v1/tokens', { name: `r20t${i}`, scopes: ['operate'] }, s.auth.admin)),
        () => s.call('POST', '/api/v1/session', { username: 'admin', password: 'test-admin-password' }),
      ];
      const results = await Promise.all(calls.map((c) => c()));
      const acked = results.filter((r) => r.statusCode >= 200 && r.statusCode < 300).length;
      expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
      expect(acked).toBe(10 + 1 + 4 + 6 + 1);

      // A sequential tail across the other mutations: upload, revoke, user change and removal.
      const id = await newResource(s, 'r20-up', '1.0.0'); // product + resource: 2 acknowledged
      let more = 2;
      for (const r of [
        await upload(s, id, await tarGz([{ name: 'main.js', content: 'r20()' }]), s.auth.publish),
        await s.call('PATCH', '/api/v1/users/r20u0', { role: 'operator' }, s.auth.admin),
        await s.call('DELETE', '/api/v1/users/r20u1', undefined, s.auth.admin),
        await s.call('DELETE', `/api/v1/tokens/${(results[19]!.json() as { id: number }).id}`, undefined, s.auth.admin),
      ]) {
        expect(r.statusCode, r.body).toBeLessThan(300);
        more++;
      }
      expect(await auditCount(s)).toBe(a0 + acked + more);
      const rows = await s.deps.db.query<{ request_id: string | null }>('SELECT request_id FROM audit WHERE id > $1::bigint', [ids0]);
      const reqIds = rows.rows.map((r) => r.request_id);
      expect(reqIds.every((r) => typeof r === 'string' && r.length > 0)).toBe(true);
      expect(new Set(reqIds).size).toBe(reqIds.length);
    });

    test('a failing audit write fails the mutation, and nothing of it is stored', async () => {
      const id = await newResource(s, 'r20-fail', '1.0.0');
      const victim = await s.call('POST', '/api/v1/tokens', { name: 'victim', scopes: ['operate'] }, s.auth.admin);
      await s.deps.db.query(`CREATE OR REPLACE FUNCTION finch_test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit is down'; END $$`);
      await s.deps.db.query('CREATE TRIGGER finch_test_fail BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION finch_test_fail_audit()');
      try {
        const count = async (sql: string, params: unknown[] = []) => (await s.deps.db.query(sql, params)).rows.length;
        const tokens0 = await count('SELECT id FROM api_tokens');
        const sessions0 = await count('SELECT id_hash FROM sessions');
        const a0 = await auditCount(s);
        const attempts = [
          await s.call('POST', '/api/v1/products', { name: 'r20-ghost' }, s.auth.admin),
          await s.call('POST', '/api/v1/users', { username: 'ghost', password: 'ghost-password', role: 'admin' }, s.auth.admin),
          await s.call('POST', '/api/v1/tokens', { name: 'ghost', scopes: ['admin'] }, s.auth.admin),
          await s.call('DELETE', `/api/v1/tokens/${victim.json().id}`, undefined, s.auth.admin),
          await s.call('PATCH', '/api/v1/users/admin', { password: 'a-new-admin-password' }, s.auth.admin),
          await s.call('POST', '/api/v1/session', { username: 'admin', password: 'test-admin-password' }),
          await upload(s, id, await tarGz([{ name: 'main.js', content: 'ghost()' }]), s.auth.publish),
        ];
        for (const r of attempts) {
          expect(r.statusCode, r.body).toBe(500);
          expect(r.json().error).toEqual({ code: 'internal', message: expect.any(String) });
          expect(r.body).not.toContain('audit is down');
        }
        expect(await count("SELECT 1 FROM products WHERE name = 'r20-ghost'")).toBe(0);
        expect(await count("SELECT 1 FROM users WHERE username = 'ghost'")).toBe(0);
        expect(await count('SELECT id FROM api_tokens')).toBe(tokens0);
        expect(await count('SELECT 1 FROM api_tokens WHERE id = $1 AND revoked_at IS NULL', [victim.json().id])).toBe(1);
        expect(await count('SELECT id_hash FROM sessions')).toBe(sessions0);
        expect(await count("SELECT 1 FROM resources WHERE id = $1 AND status = 'built'", [id])).toBe(1);
        expect(await count('SELECT 1 FROM release_files WHERE resource_id = $1', [id])).toBe(0);
        expect(await listTree(path.join(loc.dataDir, 'releases', 'r20-fail'))).toEqual([]);
        expect(await listTree(path.join(loc.dataDir, 'releases', '.tmp'))).toEqual([]);
        expect(await auditCount(s)).toBe(a0);
      } finally {
        await s.deps.db.query('DROP TRIGGER finch_test_fail ON audit');
      }
      // The old admin password still works: the failed PATCH changed nothing.
      expect((await s.call('POST', '/api/v1/session', { username: 'admin', password: 'test-admin-password' })).statusCode).toBe(200);
      expect((await upload(s, id, await tarGz([{ name: 'main.js', content: 'ghost()' }]), s.auth.publish)).statusCode).toBe(200);
    });

    test('GET /audit filters by product, time and actor, and pages by cursor', async () => {
      for (const name of ['aud-a', 'aud-b']) await s.call('POST', '/api/v1/products', { name }, s.auth.admin);
      for (let i = 0; i < 5; i++) await s.call('PATCH', '/api/v1/products/aud-a', { description: `d${i}` }, s.auth.admin);

      const a = await s.call('GET', '/api/v1/audit?product=aud-a', undefined, s.auth.admin);
      expect(a.statusCode).toBe(200);
      const entries = a.json().entries as Array<{ id: number; product: string; action: string; at: string; actor: string; before: unknown; after: unknown }>;
      expect(entries).toHaveLength(6);
      expect(entries.every((e) => e.product === 'aud-a')).toBe(true);
      expect(entries.map((e) => e.action)).toEqual([...Array(5).fill('product.update'), 'product.create']);
      expect(entries[0]!.after).toMatchObject({ description: 'd4' });
      expect(entries[0]!.before).toMatchObject({ description: 'd3' });
      expect(entries[0]!.actor).toMatch(/^token:\d+$/);

      const page1 = await s.call('GET', '/api/v1/audit?product=aud-a&limit=4', undefined, s.auth.admin);
      expect(page1.json().entries).toHaveLength(4);
      const next = page1.json().nextBefore;
      expect(next).toBe(entries[3]!.id);
      const page2 = await s.call('GET', `/api/v1/audit?product=aud-a&limit=4&before=${next}`, undefined, s.auth.admin);
      expect(page2.json().entries.map((e: { id: number }) => e.id)).toEqual(entries.slice(4).map((e) => e.id));
      expect(page2.json().nextBefore).toBeNull();

      const future = await s.call('GET', '/api/v1/audit?from=2999-01-01T00:00:00Z', undefined, s.auth.admin);
      expect(future.json().entries).toEqual([]);
      const past = await s.call('GET', '/api/v1/audit?product=aud-b&to=2000-01-01T00:00:00Z', undefined, s.auth.admin);
      expect(past.json().entries).toEqual([]);
      const window = await s.call('GET', `/api/v1/audit?product=aud-a&from=${encodeURIComponent(entries[5]!.at)}&to=${encodeURIComponent('2999-01-01T00:00:00Z')}`, undefined, s.auth.admin);
      expect(window.json().entries).toHaveLength(6);
      const byActor = await s.call('GET', '/api/v1/audit?actor=system', undefined, s.auth.admin);
      expect(byActor.json().entries.map((e: { action: string; target: string }) => [e.action, e.target])).toEqual([['user.create', 'user:admin']]);
    });

    test.each([
      'limit=0', 'limit=501', 'limit=abc', 'before=-1', 'from=yesterday', 'to=2020-13-45T00:00:00Z', 'product=Not_A_Name', 'unknown=1',
    ])('bad input: GET /audit?%s is 400', async (q) => {
      const r = await s.call('GET', `/api/v1/audit?${q}`, undefined, s.auth.admin);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
    });
  });
}
