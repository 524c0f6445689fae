/**
 * The rollouts API: starting one (its gray strategy at stage 0, in the same transaction), the plan's
 * validation, roles, the operator's commands and their 409s, and the lists. The engine is switched off
 * here (FINCH_ROLLOUT_TICK_MS=0) so every change seen is the command's own.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, seedProduct, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { stepRollout, tickRollouts } from '../../../server/rollouts/rolloutEngine.js';
import { readRollout, rolloutAudit, seedTwoBuilds, signedReports, startRollout } from './rolloutSetup.js';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`rollouts API on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let builds: { stable: number; next: number; fullId: number };
    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '0' } });
      builds = await seedTwoBuilds(s, 'shop');
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const plan = (more: Record<string, unknown> = {}): Record<string, unknown> => ({
      product: 'shop', resourceId: builds.next, stages: [{ percent: 10, holdSeconds: 3600 }, { percent: 50, holdSeconds: 3600 }], ...more,
    });

    test('start: running at stage 0, its gray strategy carries the first stage\'s rule, audited', async () => {
      const before = (await s.call('GET', '/api/v1/revision', undefined, s.auth.viewer)).json() as { revision: number };
      const r = await startRollout(s, plan());
      expect(r).toMatchObject({ product: 'shop', resourceId: builds.next, state: 'running', stageIndex: 0, stageCount: 2, commands: ['pause', 'abort', 'advance'] });
      expect(r.decision.reason).toBe('Started at stage 1 of 2 (10%).');
      const strategy = (await s.call('GET', `/api/v1/strategies/${r.strategyId}`, undefined, s.auth.viewer)).json();
      expect(strategy).toMatchObject({ status: 'gray', resourceId: builds.next, rule: { percent: 10 }, salt: `rollout-${builds.next}`, priority: -1 });
      const after = (await s.call('GET', '/api/v1/revision', undefined, s.auth.viewer)).json() as { revision: number };
      expect(after.revision).toBeGreaterThan(before.revision);
      expect((await rolloutAudit(s, 'shop', r.id)).map((e) => e.action)).toEqual(['rollout.start']);

      // A second live rollout of the same build is refused.
      const again = await s.call('POST', '/api/v1/rollouts', plan(), s.auth.operator);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({ code: 'conflict', details: { rolloutId: r.id } });
      await s.call('POST', `/api/v1/rollouts/${r.id}/abort`, undefined, s.auth.operator);
    });

    test.each([
      ['a falling percent', { stages: [{ percent: 50, holdSeconds: 1 }, { percent: 10, holdSeconds: 1 }] }, 'stages[1].percent'],
      ['a guard rate above 1', { guard: { minExposures: 10, maxFallbackRate: 2, maxErrorRate: 0.1, compareToStable: false } }, 'guard.maxFallbackRate'],
      ['a check URL with credentials', { stages: [{ percent: 5, holdSeconds: 1, check: { url: 'https://user:pw@ci.example/ok' } }] }, 'stages[0].check.url'],
      ['an unknown stage field', { stages: [{ percent: 5, holdSeconds: 1, wait: 3 }] }, 'stages[0].wait'],
    ])('400 invalid-input for %s', async (_name, more, field) => {
      const r = await s.call('POST', '/api/v1/rollouts', plan(more), s.auth.operator);
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'invalid-input', details: { field } });
    });

    test('400 for a body outside the schema, 404 for an unknown product', async () => {
      expect((await s.call('POST', '/api/v1/rollouts', plan({ extra: 1 }), s.auth.operator)).statusCode).toBe(400);
      expect((await s.call('POST', '/api/v1/rollouts', plan({ onBreach: 'panic' }), s.auth.operator)).statusCode).toBe(400);
      const r = await s.call('POST', '/api/v1/rollouts', plan({ product: 'nothing-here' }), s.auth.operator);
      expect(r.statusCode).toBe(404);
    });

    test('409 build-not-servable for a build that is not deployed, 400 for a build of another product', async () => {
      const built = await s.call('POST', '/api/v1/resources', { product: 'shop', version: '3.0.0', baseUrl: '/releases/shop/3/', files: ['main.js'], status: 'built' }, s.auth.admin);
      expect(built.statusCode).toBe(201);
      const r = await s.call('POST', '/api/v1/rollouts', plan({ resourceId: built.json().id }), s.auth.operator);
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe('build-not-servable');
      const other = await seedProduct(s, 'other', ['1.0.0']);
      const o = await s.call('POST', '/api/v1/rollouts', plan({ resourceId: other.resources['1.0.0'] }), s.auth.operator);
      expect(o.statusCode).toBe(400);
    });

    test('roles: a viewer reads but may not start or command; no credentials is 401', async () => {
      const r = await startRollout(s, plan());
      expect((await s.call('POST', '/api/v1/rollouts', plan(), s.auth.viewer)).statusCode).toBe(403);
      expect((await s.call('POST', `/api/v1/rollouts/${r.id}/pause`, undefined, s.auth.viewer)).statusCode).toBe(403);
      expect((await s.call('GET', `/api/v1/rollouts/${r.id}`)).statusCode).toBe(401);
      expect((await readRollout(s, r.id)).state).toBe('running');
      await s.call('POST', `/api/v1/rollouts/${r.id}/abort`, undefined, s.auth.operator);
    });

    test('commands: pause, resume, advance, abort, each audited; a command the state refuses is 409', async () => {
      const r = await startRollout(s, plan());
      const cmd = (c: string) => s.call('POST', `/api/v1/rollouts/${r.id}/${c}`, undefined, s.auth.operator);

      const paused = await cmd('pause');
      expect(paused.statusCode).toBe(200);
      expect(paused.json()).toMatchObject({ state: 'paused', stageIndex: 0, commands: ['resume', 'abort', 'advance'] });
      const twice = await cmd('pause');
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error).toMatchObject({ code: 'illegal-transition', details: { from: 'paused', command: 'pause', allowed: ['resume', 'abort', 'advance'] } });

      expect((await cmd('resume')).json()).toMatchObject({ state: 'running', stageIndex: 0 });
      const advanced = (await cmd('advance')).json();
      expect(advanced).toMatchObject({ state: 'running', stageIndex: 1 });
      expect(advanced.decision.reason).toMatch(/^Advanced by token:\d+ from stage 1 of 2/);
      expect((await s.call('GET', `/api/v1/strategies/${r.strategyId}`, undefined, s.auth.viewer)).json()).toMatchObject({ status: 'gray', rule: { percent: 50 } });

      expect((await cmd('abort')).json()).toMatchObject({ state: 'aborted', stageIndex: 1, commands: [] });
      expect((await s.call('GET', `/api/v1/strategies/${r.strategyId}`, undefined, s.auth.viewer)).json()).toMatchObject({ status: 'off' });
      const late = await cmd('resume');
      expect(late.statusCode).toBe(409);
      expect(late.json().error).toMatchObject({ code: 'illegal-transition', details: { from: 'aborted', allowed: [] } });

      const audit = await rolloutAudit(s, 'shop', r.id);
      expect(audit.map((e) => e.action)).toEqual(['rollout.start', 'rollout.pause', 'rollout.resume', 'rollout.advance', 'rollout.abort']);
      expect(audit.every((e) => /^token:\d+$/.test(e.actor))).toBe(true);
      expect(audit[3]?.after).toMatchObject({ state: 'running', stageIndex: 1 });
      // The stable build is untouched by the abort.
      expect((await s.call('GET', `/api/v1/strategies/${builds.fullId}`, undefined, s.auth.viewer)).json()).toMatchObject({ status: 'full' });
    });

    test('lists: a product\'s rollouts newest first; unknown ids and products are 404', async () => {
      const list = await s.call('GET', '/api/v1/products/shop/rollouts', undefined, s.auth.viewer);
      expect(list.statusCode).toBe(200);
      const ids = (list.json() as { rollouts: Array<{ id: number; product: string }> }).rollouts.map((r) => r.id);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      expect((await s.call('GET', '/api/v1/products/nothing-here/rollouts', undefined, s.auth.viewer)).statusCode).toBe(404);
      expect((await s.call('GET', '/api/v1/rollouts/999999', undefined, s.auth.viewer)).statusCode).toBe(404);
      expect((await s.call('POST', '/api/v1/rollouts/999999/pause', undefined, s.auth.operator)).statusCode).toBe(404);
    });

    test('a tick judges the reports this process received since the last flush: it writes its report buffer first', async () => {
      const b = await seedTwoBuilds(s, 'fresh-reports');
      const r = await startRollout(s, { product: 'fresh-reports', resourceId: b.next, stages: [{ percent: 100, holdSeconds: 3600 }], guard: { minExposures: 5, maxFallbackRate: 0.1 } });
      const reports = await signedReports(s, 'fresh-reports', b.next, ['u1', 'u2', 'u3', 'u4', 'u5'], 'load-error');
      expect((await s.call('POST', '/api/v1/reports', reports)).statusCode).toBe(202);
      // Not flushed: the buffer's own timer is 5 s away; the tick itself must write it.
      expect(s.deps.reports.size).toBeGreaterThan(0);
      await tickRollouts(s.deps, (err) => { throw err; });
      expect(await readRollout(s, r.id)).toMatchObject({ state: 'rolled-back' });
    });

    test('a step of the engine never serves a build whose gray strategy was turned off outside the rollout: it pauses', async () => {
      const r = await startRollout(s, plan({ stages: [{ percent: 10, holdSeconds: 0 }, { percent: 50, holdSeconds: 3600 }] }));
      const off = await s.call('PATCH', `/api/v1/strategies/${r.strategyId}`, { status: 'off' }, { ...s.auth.operator, 'if-match': '*' });
      expect(off.statusCode).toBe(200);
      const step = await stepRollout(s.deps, r.id);
      expect(step).toMatchObject({ kind: 'applied', transition: { kind: 'pause' } });
      const paused = await readRollout(s, r.id);
      expect(paused).toMatchObject({ state: 'paused', stageIndex: 0 });
      expect(paused.decision.reason).toContain(`its gray strategy ${r.strategyId} was turned off outside the rollout`);
      expect((await s.call('GET', `/api/v1/strategies/${r.strategyId}`, undefined, s.auth.viewer)).json()).toMatchObject({ status: 'off', rule: { percent: 10 } });
      // An operator's advance is refused the same way, and changes nothing.
      const advance = await s.call('POST', `/api/v1/rollouts/${r.id}/advance`, undefined, s.auth.operator);
      expect(advance.statusCode).toBe(409);
      expect((await readRollout(s, r.id)).stageIndex).toBe(0);
      await s.call('POST', `/api/v1/rollouts/${r.id}/abort`, undefined, s.auth.operator);
    });

    test('two live rollouts of one product get strategy priorities in rank order', async () => {
      const third = await s.call('POST', '/api/v1/resources', { product: 'shop', version: '4.0.0', baseUrl: '/releases/shop/4/', files: ['main.js'], status: 'deployed' }, s.auth.admin);
      const a = await startRollout(s, plan());
      const b = await startRollout(s, plan({ resourceId: third.json().id, priority: 1 }));
      const prio = async (id: number): Promise<number> => (await s.call('GET', `/api/v1/strategies/${id}`, undefined, s.auth.viewer)).json().priority;
      expect(await prio(b.strategyId)).toBe(999);
      expect(await prio(a.strategyId)).toBe(-1);
      await s.call('POST', `/api/v1/rollouts/${a.id}/abort`, undefined, s.auth.operator);
      await s.call('POST', `/api/v1/rollouts/${b.id}/abort`, undefined, s.auth.operator);
    });
  });
}
