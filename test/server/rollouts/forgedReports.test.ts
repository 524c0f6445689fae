/**
 * A forged stream of reports against a healthy rollout (docs/rollouts.md, "Forged report streams").
 * Forty users use the gray build and report nothing wrong. A client then sends a thousand unsigned
 * fallback reports, one real user's token replayed five hundred times, and three hundred made-up
 * tokens. With report tokens required (the default) the guard counts one failing user of forty and the
 * rollout completes; with unsigned reports counted (FINCH_REPORT_TOKENS=optional) the same stream rolls
 * it back, which is the attack the tokens stop. The engine is stepped by the test (no timer), so every
 * decision asserted here is one the engine really made.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stepRollout, type StepResult } from '../../../server/rollouts/rolloutEngine.js';
import { readStageWindow } from '../../../server/rollouts/guardInputs.js';
import { getRollout } from '../../../server/store/rollouts.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { readRollout, reportTokenFor, seedTwoBuilds, signedReports, startRollout, versionFor } from './rolloutSetup.js';

const USERS = Array.from({ length: 40 }, (_, i) => `user-${i}`);
const GUARD = { minExposures: 20, maxFallbackRate: 0.05, maxErrorRate: 0.05, compareToStable: false };

/** Sends `reports` in batches of 100, as a client would, and expects each accepted. */
async function send(s: TestServer, reports: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < reports.length; i += 100) {
    const r = await s.call('POST', '/api/v1/reports', reports.slice(i, i + 100));
    expect(r.statusCode, r.body).toBe(202);
  }
}

interface Attack {
  product: string;
  rolloutId: number;
  gray: number;
  /** The engine's first decision after the stream arrived. */
  first: StepResult;
}

/** A healthy rollout of `product` with forty real users, then the forged stream, then one engine step. */
async function attack(s: TestServer, product: string): Promise<Attack> {
  const b = await seedTwoBuilds(s, product);
  const r = await startRollout(s, { product, resourceId: b.next, onBreach: 'rollback', stages: [{ percent: 100, holdSeconds: 1 }], guard: GUARD });
  await send(s, await signedReports(s, product, b.next, USERS, 'exposure'));

  const unsigned = Array.from({ length: 1000 }, () => ({ product, resourceId: b.next, kind: 'load-error' }));
  const stolen = await reportTokenFor(s, product, USERS[0]!);
  const replayed = Array.from({ length: 500 }, () => ({ product, resourceId: b.next, kind: 'load-error', token: stolen }));
  const madeUp = Array.from({ length: 300 }, () => ({
    product, resourceId: b.next, kind: 'load-error',
    token: `${stolen.split('.')[0]}.${randomBytes(12).toString('base64url')}.${randomBytes(16).toString('base64url')}`,
  }));
  await send(s, [...unsigned, ...replayed, ...madeUp]);
  await s.deps.reports.flush(s.deps.db);
  return { product, rolloutId: r.id, gray: b.next, first: await stepRollout(s.deps, r.id) };
}

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`forged report streams on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '0' } });
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test('manifests carry a report token per user only for products under a live rollout', async () => {
      const b = await seedTwoBuilds(s, 'tokened');
      await seedTwoBuilds(s, 'untouched');
      const manifest = async (userId?: string) => (await s.call('POST', '/api/v1/console-version', { products: ['tokened', 'untouched'], ...(userId ? { userId } : {}) })).json();
      expect((await manifest('alice')).products.tokened.reportToken).toBeUndefined();

      const r = await startRollout(s, { product: 'tokened', resourceId: b.next, stages: [{ percent: 100, holdSeconds: 3600 }], guard: GUARD });
      const alice = await manifest('alice');
      expect(alice.products.tokened).toMatchObject({ version: '2.0.0', reportToken: expect.stringMatching(/^[0-9a-z]+\.[\w-]{16}\.[\w-]{22}$/) });
      expect(alice.products.untouched.reportToken).toBeUndefined();
      expect((await manifest('bob')).products.tokened.reportToken).not.toBe(alice.products.tokened.reportToken);
      expect((await manifest('alice')).products.tokened.reportToken).toBe(alice.products.tokened.reportToken);
      // Nobody to count without a user id (or device id).
      expect((await manifest()).products.tokened.reportToken).toBeUndefined();

      // The GET form and the fast lane answer the same bytes.
      const get = await s.call('GET', '/api/v1/console-version?products=tokened,untouched&userId=alice');
      expect(get.json()).toEqual(alice);

      await s.call('POST', `/api/v1/rollouts/${r.id}/abort`, undefined, s.auth.operator);
      expect((await manifest('alice')).products.tokened.reportToken).toBeUndefined();
    });

    test('a forged fallback stream does not halt a healthy rollout: the guard counts one failing user of forty, and the build goes full', async () => {
      const a = await attack(s, 'healthy');
      expect(a.first.kind).not.toBe('applied');
      const row = await getRollout(s.deps.db, a.rolloutId);
      const window = await readStageWindow(s.deps.db, row, Date.now(), false);
      // The replayed token is one user; unsigned and made-up reports are nobody.
      expect(window.gray).toEqual({ exposures: 40, fallbacks: 1, errors: 0, unsigned: 0 });

      // The hold is a second: step until the engine decides, and it decides to promote.
      let result: StepResult = a.first;
      await expect.poll(async () => (result = await stepRollout(s.deps, a.rolloutId)).kind, { interval: 200, timeout: 20_000 }).toBe('applied');
      expect(result).toMatchObject({ kind: 'applied', transition: { to: { state: 'completed' } } });
      expect((await readRollout(s, a.rolloutId)).state).toBe('completed');
      expect(await versionFor(s, 'healthy', 'someone-new')).toBe('2.0.0');

      const metrics = (await s.call('GET', '/metrics')).body;
      expect(metrics).toMatch(/^finch_report_tokens_total\{token="invalid"\} 300$/m);
      expect(metrics).toMatch(/^finch_report_tokens_total\{token="none"\} 1000$/m);
    });
  });
}

describe('the same stream where unsigned reports count (FINCH_REPORT_TOKENS=optional)', () => {
  let loc: TestLocation;
  let s: TestServer;
  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '0', FINCH_REPORT_TOKENS: 'optional' } });
  });
  afterAll(async () => {
    await s?.close();
    await loc?.dispose();
  });

  test('rolls the healthy rollout back, and the decision says how many of its users were unsigned reports', async () => {
    const a = await attack(s, 'healthy');
    expect(a.first).toMatchObject({ kind: 'applied', transition: { to: { state: 'rolled-back' } } });
    const ended = await readRollout(s, a.rolloutId);
    // 1,000 unsigned and 300 made-up tokens count a user each; the replayed token is still one user.
    expect(ended.decision.figures).toMatchObject({ counting: 'users-and-unsigned-reports', gray: { exposures: 40, fallbacks: 1301, unsigned: 1300 } });
    expect(ended.decision.reason).toContain('1300 of the users counted are unsigned reports');
    expect(await versionFor(s, 'healthy', 'user-1')).toBe('1.0.0');
  });
});
