/**
 * FINCH_CHECK_ORIGINS: the hosts a rollout's stage checks may call. A plan naming another origin is
 * refused with the field that names it; a check whose origin left the list since is not called, and
 * the stage pauses with the reason.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runStageCheck } from '../../../server/rollouts/stageCheck.js';
import { createLocation, startServer, type TestLocation, type TestServer } from '../harness.js';
import { seedTwoBuilds } from './rolloutSetup.js';

const LISTED = 'https://ci.example.com';

describe('stage checks only call FINCH_CHECK_ORIGINS', () => {
  let loc: TestLocation;
  let s: TestServer;
  beforeAll(async () => {
    loc = await createLocation('pglite');
    s = await startServer(loc, { env: { FINCH_ROLLOUT_TICK_MS: '0', FINCH_CHECK_ORIGINS: `${LISTED}, http://127.0.0.1:9` } });
  });
  afterAll(async () => {
    await s?.close();
    await loc?.dispose();
  });

  test('a plan whose check calls another origin is refused, naming the field; a listed one starts', async () => {
    const b = await seedTwoBuilds(s, 'checked');
    const percent = (url: string) => ({ product: 'checked', resourceId: b.next, stages: [{ percent: 10, holdSeconds: 60 }, { percent: 50, holdSeconds: 60, check: { url } }] });
    const refused = await s.call('POST', '/api/v1/rollouts', percent('http://169.254.169.254/latest/meta-data/'), s.auth.operator);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'invalid-input', details: { field: 'stages[1].check.url' } });
    // Another port of a listed host is another origin.
    const port = await s.call('POST', '/api/v1/rollouts', percent('https://ci.example.com:8443/smoke'), s.auth.operator);
    expect(port.json().error?.details?.field).toBe('stages[1].check.url');

    const batches = { product: 'checked', resourceId: b.next, stages: { batches: { combine: 1, schedule: 1, targets: [{ users: ['alice'] }] }, holdSeconds: 60, check: { url: 'http://10.0.0.1/' } } };
    expect((await s.call('POST', '/api/v1/rollouts', batches, s.auth.operator)).json().error?.details?.field).toBe('stages.check.url');

    const ok = await s.call('POST', '/api/v1/rollouts', percent(`${LISTED}/smoke/checked`), s.auth.operator);
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

test('a check on an origin not (or no longer) listed is not called', async () => {
  const called: string[] = [];
  const fetchFn = (async (url: URL) => {
    called.push(String(url));
    return new Response(null, { status: 204 });
  }) as unknown as typeof fetch;
  expect(await runStageCheck({ url: 'http://10.0.0.1/smoke', timeoutSeconds: 5 }, [LISTED], fetchFn)).toEqual({ ok: false, detail: 'nothing: http://10.0.0.1 is not in FINCH_CHECK_ORIGINS' });
  expect(called).toEqual([]);
  expect(await runStageCheck({ url: `${LISTED}/smoke`, timeoutSeconds: 5 }, [LISTED], fetchFn)).toEqual({ ok: true, detail: '204' });
  expect(await runStageCheck({ url: 'http://10.0.0.1/smoke', timeoutSeconds: 5 }, [], fetchFn)).toEqual({ ok: true, detail: '204' });
  expect(called).toEqual([`${LISTED}/smoke`, 'http://10.0.0.1/smoke']);
});
