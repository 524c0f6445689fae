/**
 * Exactly once: two `finch serve` processes on one PostgreSQL database, both engines ticking every 20 ms
 * on a rollout whose stages hold 0 s, so both decide every step. Each transition is written by one of
 * them: the audit log holds each once, and the stage index never skips.
 */
import { afterAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { createLocation, startServer, STORES, type TestLocation } from '../harness.js';
import { spawnServe, type ServeProcess } from '../process.js';
import { createToken } from '../../../server/auth/tokens.js';
import { seedTwoBuilds } from './rolloutSetup.js';

const pgStore = STORES.find((s) => s.name === 'postgres');
const skip = pgStore?.skip ?? null;

describe.skipIf(skip !== null)(`rollouts with two processes on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let loc: TestLocation;
  const procs: ServeProcess[] = [];
  afterAll(async () => {
    for (const p of procs) await p.stop();
    await loc?.dispose();
  });

  test('each transition is written exactly once, stage after stage', async () => {
    loc = await createLocation('postgres');
    const setup = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '0' } });
    const { token } = await createToken(setup.deps.db, { name: 'two-proc', scopes: ['admin'], createdBy: 'test' });
    const builds = await seedTwoBuilds(setup, 'race');
    await setup.close();

    const env = { DATABASE_URL: loc.databaseUrl ?? '', FINCH_DATA_DIR: loc.dataDir, FINCH_ROLLOUT_TICK_MS: '20' };
    procs.push(...await Promise.all([spawnServe(env), spawnServe(env)]));
    const [a, b] = procs as [ServeProcess, ServeProcess];
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (url: string, body: unknown): Promise<{ id: number; strategyId: number }> => {
      const r = await fetch(url, { method: 'POST', headers: h, body: JSON.stringify(body) });
      expect(r.status, await r.clone().text()).toBe(201);
      return (await r.json()) as { id: number; strategyId: number };
    };
    const stages = [5, 10, 20, 30, 50, 70, 90].map((percent) => ({ percent, holdSeconds: 0 }));
    const rollout = await post(`${b.url}/api/v1/rollouts`, { product: 'race', resourceId: builds.next, stages });

    const state = async (): Promise<string> => ((await (await fetch(`${a.url}/api/v1/rollouts/${rollout.id}`, { headers: h })).json()) as { state: string }).state;
    await expect.poll(state, { interval: 50, timeout: 30_000 }).toBe('completed');

    const c = new pg.Client({ connectionString: loc.databaseUrl ?? '' });
    await c.connect();
    try {
      const rows = (await c.query<{ action: string; before: { stageIndex: number } | null; after: { stageIndex: number } }>(
        'SELECT action, before, after FROM audit WHERE target = $1 ORDER BY id', [`rollout:${rollout.id}`],
      )).rows;
      expect(rows.map((r) => r.action)).toEqual(['rollout.start', ...stages.slice(1).map(() => 'rollout.advance'), 'rollout.promote']);
      // Each advance goes from the stage the one before it reached, one stage at a time.
      for (const [i, r] of rows.slice(1, -1).entries()) expect([r.before?.stageIndex, r.after.stageIndex]).toEqual([i, i + 1]);
      const strategy = (await c.query<{ status: string; version: number }>('SELECT status, version FROM strategies WHERE id = $1', [rollout.strategyId])).rows[0];
      // Inserted at version 1; ranked once, then one write per advance and one for the promotion.
      expect(strategy).toEqual({ status: 'full', version: 1 + 1 + (stages.length - 1) + 1 });
      const fulls = (await c.query('SELECT s.id FROM strategies s JOIN products p ON p.id = s.product_id WHERE p.name = $1 AND s.status = $2', ['race', 'full'])).rowCount;
      expect(fulls).toBe(1);
    } finally {
      await c.end();
    }
    for (const p of procs) expect(p.output()).not.toMatch(/rollout engine:/);
  });
});
