/**
 * Restart keeps everything: products, resources and strategies written, the server and database closed
 * and opened again on the same data directory or database, and the same answers come back. Once in
 * process (both stores) and once as a real `finch serve` process stopped with SIGTERM by PID.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';
import { spawnServe, type ServeProcess } from './process.js';

const readAll = async (s: TestServer): Promise<unknown[]> => {
  const out: unknown[] = [];
  for (const user of ['alice', 'bob']) {
    const r = await s.inject({ method: 'GET', url: `/api/v1/console-version?products=keep-a,keep-b&userId=${user}` });
    out.push(r.json(), r.headers['etag']);
  }
  out.push((await s.call('GET', '/api/v1/products', undefined, s.auth.viewer)).json());
  for (const p of ['keep-a', 'keep-b']) {
    out.push((await s.call('GET', `/api/v1/products/${p}/resources`, undefined, s.auth.viewer)).json());
    out.push((await s.call('GET', `/api/v1/products/${p}/strategies`, undefined, s.auth.viewer)).json());
  }
  return out;
};

async function seed(s: TestServer): Promise<void> {
  const a = await seedProduct(s, 'keep-a', ['1.0.0', '2.0.0']);
  await createStrategy(s, { product: 'keep-a', resourceId: a.resources['1.0.0'], status: 'full' });
  await createStrategy(s, { product: 'keep-a', resourceId: a.resources['2.0.0'], status: 'gray', rule: { users: ['alice'] }, startsAt: '2020-01-01T00:00:00Z' });
  const b = await seedProduct(s, 'keep-b', ['1.0.0']);
  await createStrategy(s, { product: 'keep-b', resourceId: b.resources['1.0.0'], status: 'full' });
}

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`restart on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    afterAll(async () => {
      await loc?.dispose();
    });

    test('close app and database, reopen on the same store: same answers', async () => {
      loc = await createLocation(store.name);
      const first = await startServer(loc);
      await seed(first);
      const before = await readAll(first);
      const auth = first.auth;
      await first.close();

      const second = await startServer(loc);
      // Same tokens as before, so list answers are compared with the same rights.
      Object.assign(second.auth, auth);
      expect(await readAll(second)).toEqual(before);
      expect((before[0] as { products: Record<string, { version: string }> }).products['keep-a']?.version).toBe('2.0.0');

      // The hot path needs no database: with it closed, getConsoleVersion still answers from the
      // snapshot, while a route that needs it fails with a 5xx that says nothing about internals.
      await second.deps.snapshot.close();
      await second.deps.db.close();
      const cv = await second.inject({ method: 'GET', url: '/api/v1/console-version?products=keep-a,keep-b&userId=alice' });
      expect(cv.statusCode).toBe(200);
      expect(cv.json()).toEqual(before[0]);
      const broken = await second.call('GET', '/api/v1/products/keep-a', undefined, { 'x-nothing': '1' });
      const list = await second.call('GET', '/api/v1/resources/1', undefined, auth.viewer);
      for (const r of [broken, list]) {
        expect(r.statusCode).toBeGreaterThanOrEqual(400);
        expect(Object.keys(r.json())).toEqual(['error']);
        expect(r.body).not.toMatch(/pglite|postgres|at .*\.ts|stack|Error:/i);
      }
      expect(list.statusCode).toBe(500);
      expect(list.json()).toEqual({ error: { code: 'internal', message: 'Internal error. Try again later.' } });
      await second.close();
    });
  });
}

describe('finch serve as a real process', () => {
  let loc: TestLocation;
  let proc: ServeProcess | null = null;
  afterAll(async () => {
    await proc?.stop();
    await loc?.dispose();
  });

  test('writes through HTTP survive SIGTERM and a new process on the same FINCH_DATA_DIR', async () => {
    loc = await createLocation('pglite');
    const setup = await startServer(loc);
    await seed(setup);
    const operator = setup.auth.operator;
    const resources = (await setup.call('GET', '/api/v1/products/keep-b/resources', undefined, setup.auth.viewer)).json().resources as Array<{ id: number }>;
    await setup.close();

    proc = await spawnServe({ FINCH_DATA_DIR: loc.dataDir });
    const ask = async (p: ServeProcess): Promise<unknown> => (await fetch(`${p.url}/api/v1/console-version?products=keep-a,keep-b&userId=carol`)).json();
    const m1 = (await ask(proc)) as { products: Record<string, { version: string }> };
    expect(m1.products['keep-a']?.version).toBe('1.0.0');

    // A write through the running process: carol now gets keep-a's gray build.
    const list = await fetch(`${proc.url}/api/v1/products/keep-a/strategies`, { headers: operator });
    const gray = ((await list.json()) as { strategies: Array<{ id: number; status: string }> }).strategies.find((x) => x.status === 'gray');
    const current = await fetch(`${proc.url}/api/v1/strategies/${gray?.id}`, { headers: operator });
    const patched = await fetch(`${proc.url}/api/v1/strategies/${gray?.id}`, {
      method: 'PATCH',
      headers: { ...operator, 'content-type': 'application/json', 'if-match': current.headers.get('etag') ?? '' },
      body: JSON.stringify({ rule: { users: ['alice', 'carol'] } }),
    });
    expect(patched.status).toBe(200);
    const m2 = (await ask(proc)) as { revision: number; products: Record<string, { version: string }> };
    expect(m2.products['keep-a']?.version).toBe('2.0.0');
    expect(resources).toHaveLength(1);

    expect(await proc.stop()).toBe(0);
    expect(proc.output()).toContain('SIGTERM: draining');

    proc = await spawnServe({ FINCH_DATA_DIR: loc.dataDir });
    expect(await ask(proc)).toEqual(m2);
    expect(await proc.stop()).toBe(0);
    proc = null;
  });
});
