/**
 * The engine on its own: a three-stage rollout with one-second holds ends with the build full, and a
 * rollout whose gray build gets fallback reports from its users ends rolled back or paused, with the
 * reason and the users counted in the rollout and the audit log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, createStrategy, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { readRollout, rolloutAudit, seedTwoBuilds, signedReports, startRollout, untilEnded, versionFor } from './rolloutSetup.js';

/** Enough users that a 10 % audience surely holds some and surely leaves some out. */
const USERS = Array.from({ length: 200 }, (_, i) => `user-${i}`);

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`rollout engine on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    /** Answers a stage check: the status is the path, `/503` → 503. */
    let checks: Server;
    let checkOrigin: string;
    /** Receives every event; what a rollout queued is read from its delivery log. */
    let webhookId: number;
    /** The rollout events queued for the webhook, oldest first (the tests run one after another). */
    const rolloutEvents = async (): Promise<string[]> => {
      const r = await s.call('GET', `/api/v1/webhooks/${webhookId}/deliveries?limit=500`, undefined, s.auth.admin);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { deliveries: Array<{ event: string }> }).deliveries.map((d) => d.event).filter((e) => e.startsWith('rollout.')).reverse();
    };
    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '50' } });
      checks = createServer((req, res) => res.writeHead(Number(req.url?.slice(1))).end());
      await new Promise<void>((resolve) => checks.listen(0, '127.0.0.1', resolve));
      checkOrigin = `http://127.0.0.1:${(checks.address() as AddressInfo).port}`;
      const hook = await s.call('POST', '/api/v1/webhooks', { url: `${checkOrigin}/204`, events: ['*'], secret: 'a-webhook-secret-of-length' }, s.auth.admin);
      expect(hook.statusCode, hook.body).toBe(201);
      webhookId = hook.json().id;
    });
    afterAll(async () => {
      await new Promise((resolve) => checks?.close(resolve));
      await s?.close();
      await loc?.dispose();
    });

    test('a stage check: 2xx lets the stage advance, anything else pauses with the answer in the reason', async () => {
      const b = await seedTwoBuilds(s, 'checked');
      const stages = (status: number) => [{ percent: 10, holdSeconds: 0, check: { url: `${checkOrigin}/${status}`, timeoutSeconds: 5 } }, { percent: 50, holdSeconds: 3600 }];
      const ok = await startRollout(s, { product: 'checked', resourceId: b.next, stages: stages(204) });
      await expect.poll(async () => (await readRollout(s, ok.id)).stageIndex, { interval: 50, timeout: 20_000 }).toBe(1);
      expect((await readRollout(s, ok.id)).decision.reason).toContain(`The check passed: ${checkOrigin}/204 answered 204`);
      await s.call('POST', `/api/v1/rollouts/${ok.id}/abort`, undefined, s.auth.operator);

      const failing = await startRollout(s, { product: 'checked', resourceId: b.next, stages: stages(503) });
      await expect.poll(async () => (await readRollout(s, failing.id)).state, { interval: 50, timeout: 20_000 }).toBe('paused');
      const paused = await readRollout(s, failing.id);
      expect(paused.stageIndex).toBe(0);
      expect(paused.decision.reason).toContain(`${checkOrigin}/503 answered 503 Service Unavailable, not 2xx`);
    });

    test('three percent stages with 1 s holds: the build ends full, the previous full kept as its fallback', async () => {
      const b = await seedTwoBuilds(s, 'ramp');
      const eventsBefore = (await rolloutEvents()).length;
      const r = await startRollout(s, { product: 'ramp', resourceId: b.next, stages: [{ percent: 10, holdSeconds: 1 }, { percent: 50, holdSeconds: 1 }, { percent: 90, holdSeconds: 1 }] });
      const atStart = await Promise.all(USERS.map((u) => versionFor(s, 'ramp', u)));
      expect(atStart).toContain('1.0.0');
      expect(atStart).toContain('2.0.0');

      const ended = await untilEnded(s, r.id);
      expect(ended).toMatchObject({ state: 'completed', stageIndex: 2 });
      expect(ended.decision.reason).toContain('The build is now full for every user');
      const strategy = (await s.call('GET', `/api/v1/strategies/${r.strategyId}`, undefined, s.auth.viewer)).json();
      expect(strategy).toMatchObject({ status: 'full', resourceId: b.next, previousFullId: b.fullId });
      expect((await s.call('GET', `/api/v1/strategies/${b.fullId}`, undefined, s.auth.viewer)).json()).toMatchObject({ status: 'off' });

      const after = await Promise.all(USERS.map((u) => versionFor(s, 'ramp', u)));
      expect(new Set(after)).toEqual(new Set(['2.0.0']));
      const manifest = (await s.call('POST', '/api/v1/console-version', { products: ['ramp'], userId: 'alice' })).json();
      expect(manifest.products.ramp).toMatchObject({ version: '2.0.0', status: 'full' });

      // Each stage once, in order, by the engine; every stage held at least its second.
      const audit = await rolloutAudit(s, 'ramp', r.id);
      expect(audit.map((e) => [e.action, e.after.stageIndex])).toEqual([['rollout.start', 0], ['rollout.advance', 1], ['rollout.advance', 2], ['rollout.promote', 2]]);
      expect(audit.slice(1).every((e) => e.actor === 'system')).toBe(true);
      expect((await rolloutEvents()).slice(eventsBefore)).toEqual(['rollout.stage-advanced', 'rollout.stage-advanced', 'rollout.finished']);

      // The replaced full build is what a product rollback goes back to.
      const back = await s.call('POST', '/api/v1/products/ramp/rollback', undefined, s.auth.operator);
      expect(back.json()).toMatchObject({ restoredFullId: b.fullId });
      expect(await versionFor(s, 'ramp', 'alice')).toBe('1.0.0');
    });

    for (const onBreach of ['rollback', 'pause'] as const) {
      test(`fallback reports from the gray build breach its guard: onBreach ${onBreach}`, async () => {
        const name = `breach-${onBreach}`;
        const b = await seedTwoBuilds(s, name);
        const eventsBefore = (await rolloutEvents()).length;
        const r = await startRollout(s, {
          product: name, resourceId: b.next, onBreach,
          stages: [{ percent: 100, holdSeconds: 3600 }],
          guard: { minExposures: 20, maxFallbackRate: 0.05, maxErrorRate: 0.5, compareToStable: false },
        });
        expect(await versionFor(s, name, 'alice')).toBe('2.0.0');
        // Another gray strategy serves the same build to alice outside the rollout: a rollback stops it too.
        const beside = onBreach === 'rollback' ? await createStrategy(s, { product: name, resourceId: b.next, status: 'gray', rule: { users: ['alice'] } }) : null;

        // 30 users used the build and 6 of them fell back, each report signed with the user's token;
        // the failures are sent twice, as a flaky network would, and still count 6 users.
        const users = USERS.slice(0, 30);
        const failing = await signedReports(s, name, b.next, users.slice(0, 6), 'load-error');
        const sent = await s.call('POST', '/api/v1/reports', [...await signedReports(s, name, b.next, users, 'exposure'), ...failing, ...failing]);
        expect(sent.statusCode).toBe(202);
        // The buffer writes on its own every 5 s; write now rather than wait for it.
        await s.deps.reports.flush(s.deps.db);

        await expect.poll(async () => (await readRollout(s, r.id)).state, { interval: 100, timeout: 30_000 }).toBe(onBreach === 'rollback' ? 'rolled-back' : 'paused');
        const ended = await readRollout(s, r.id);
        expect(ended.decision.reason).toContain('fallback rate is 20%');
        expect(ended.decision.reason).toContain('(6 of 30 users)');
        expect(ended.decision.figures).toMatchObject({
          counting: 'users',
          gray: { resourceId: b.next, exposures: 30, fallbacks: 6, errors: 0, unsigned: 0, fallbackRate: 0.2 },
          stable: { resourceId: b.stable, exposures: 0, fallbacks: 0, errors: 0, unsigned: 0 },
        });
        const audit = await rolloutAudit(s, name, r.id);
        const last = audit[audit.length - 1];
        expect(last?.action).toBe(`rollout.${onBreach}`);
        expect(last?.actor).toBe('system');
        expect(last?.after).toMatchObject({ reason: ended.decision.reason, figures: ended.decision.figures });
        expect((await rolloutEvents()).slice(eventsBefore)).toEqual(onBreach === 'rollback' ? ['rollout.guard-breached', 'rollout.rolled-back'] : ['rollout.guard-breached']);

        const strategy = (await s.call('GET', `/api/v1/strategies/${r.strategyId}`, undefined, s.auth.viewer)).json();
        if (onBreach === 'rollback') {
          expect(strategy.status).toBe('off');
          const other = (await s.call('GET', `/api/v1/strategies/${beside!.id}`, undefined, s.auth.viewer)).json();
          expect(other.status).toBe('off');
          expect(await versionFor(s, name, 'alice')).toBe('1.0.0');
        } else {
          // Paused keeps the gray build's users; aborting sends them back.
          expect(strategy.status).toBe('gray');
          const aborted = await s.call('POST', `/api/v1/rollouts/${r.id}/abort`, undefined, s.auth.operator);
          expect(aborted.json().state).toBe('aborted');
          expect(await versionFor(s, name, 'alice')).toBe('1.0.0');
        }
      });
    }
  });
}
