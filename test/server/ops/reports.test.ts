/**
 * Client reports, /metrics and /healthz on the real app and database: reports (one, a batch, or
 * text/plain from sendBeacon) are counted per resource and kind, spoofed ones are not stored, bad ones
 * are 400, a flood from one address is 429; metrics expose request, snapshot and report series.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPORTS_PER_MINUTE } from '../../../server/routes/reports.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { newResource } from '../builds/support.js';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`reports, metrics and health on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let a = 0;
    let b = 0;
    let other = 0;
    let ip = 0;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      a = await newResource(s, 'rep', '1.0.0');
      b = await newResource(s, 'rep', '2.0.0');
      other = await newResource(s, 'rep-other', '1.0.0');
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    /** Each test reports from its own address so the rate limit of one does not spill into another. */
    const post = (payload: unknown, contentType = 'application/json', from = `10.0.0.${++ip}`) =>
      s.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: from, headers: { 'content-type': contentType }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    const counts = async (query = '') => {
      const r = await s.call('GET', `/api/v1/reports${query}`, undefined, s.auth.viewer);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().counts as Array<{ resourceId: number; product: string; version: string; kind: string; count: number }>)
        .map((c) => `${c.product}@${c.version}#${c.resourceId === a ? 'a' : c.resourceId === b ? 'b' : 'o'} ${c.kind}=${c.count}`);
    };

    test('one report, a batch and a text/plain beacon are counted per resource and kind', async () => {
      expect((await post({ resourceId: a, product: 'rep', kind: 'load-error', url: '/releases/rep/1/main.js', message: '404' })).json()).toEqual({ accepted: 1 });
      const batch = await post([
        { resourceId: a, product: 'rep', kind: 'load-error' },
        { resourceId: a, product: 'rep', kind: 'exposure' },
        { resourceId: b, product: 'rep', kind: 'integrity-error' },
        { resourceId: b, product: 'rep', kind: 'runtime-error', message: 'TypeError: x is undefined' },
      ]);
      expect(batch.statusCode).toBe(202);
      expect(batch.json()).toEqual({ accepted: 4 });
      const beacon = await post(JSON.stringify([{ resourceId: b, product: 'rep', kind: 'exposure' }, { resourceId: b, product: 'rep', kind: 'exposure' }]), 'text/plain;charset=UTF-8');
      expect(beacon.statusCode, beacon.body).toBe(202);
      expect(await counts('?product=rep')).toEqual([
        'rep@1.0.0#a exposure=1', 'rep@1.0.0#a load-error=2',
        'rep@2.0.0#b exposure=2', 'rep@2.0.0#b integrity-error=1', 'rep@2.0.0#b runtime-error=1',
      ]);
      expect(await counts(`?resourceId=${b}`)).toHaveLength(3);
    });

    test('reports naming a resource that does not exist, or another product, are accepted but never stored', async () => {
      const before = await counts();
      expect((await post([
        { resourceId: 999999, product: 'rep', kind: 'load-error' },
        { resourceId: other, product: 'rep', kind: 'load-error' },
        { resourceId: a, product: 'nope', kind: 'load-error' },
      ])).statusCode).toBe(202);
      expect(await counts()).toEqual(before);
      expect((await s.deps.db.query('SELECT 1 FROM report_counts WHERE resource_id = $1', [other])).rows).toEqual([]);
    });

    const bad: Array<[string, unknown, string?]> = [
      ['unknown kind', { resourceId: 1, product: 'rep', kind: 'crash' }],
      ['missing kind', { resourceId: 1, product: 'rep' }],
      ['string id', { resourceId: '1', product: 'rep', kind: 'exposure' }],
      ['zero id', { resourceId: 0, product: 'rep', kind: 'exposure' }],
      ['huge id', { resourceId: 1e12, product: 'rep', kind: 'exposure' }],
      ['bad product', { resourceId: 1, product: '../rep', kind: 'exposure' }],
      ['extra field', { resourceId: 1, product: 'rep', kind: 'exposure', userId: 'alice' }],
      ['long message', { resourceId: 1, product: 'rep', kind: 'runtime-error', message: 'x'.repeat(1001) }],
      ['empty array', []],
      ['101 reports', Array.from({ length: 101 }, () => ({ resourceId: 1, product: 'rep', kind: 'exposure' }))],
      ['a number', 42],
      ['null', null],
      ['broken JSON', '{"resourceId": 1,', 'application/json'],
      ['broken text/plain JSON', 'resourceId=1', 'text/plain'],
    ];
    test.each(bad)('bad input: POST /reports refuses %s with 400, nothing counted', async (_n, payload, type) => {
      const before = await counts();
      const r = await post(typeof payload === 'string' ? payload : JSON.stringify(payload), type ?? 'application/json');
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
      expect(await counts()).toEqual(before);
    });

    test('bad input: a huge report body is 413', async () => {
      const r = await post(JSON.stringify({ resourceId: a, product: 'rep', kind: 'exposure', message: 'x'.repeat(600_000) }));
      expect(r.statusCode).toBe(413);
      expect(r.json().error.code).toBe('payload-too-large');
    });

    test(`one address gets ${REPORTS_PER_MINUTE} report requests a minute, then 429 with the error body; others go on`, async () => {
      const from = '192.0.2.77';
      const report = { resourceId: a, product: 'rep', kind: 'exposure' };
      const statuses: number[] = [];
      for (let i = 0; i < REPORTS_PER_MINUTE; i++) statuses.push((await post(report, 'application/json', from)).statusCode);
      expect(statuses.every((x) => x === 202)).toBe(true);
      const limited = await post(report, 'application/json', from);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(report, 'application/json', '192.0.2.78')).statusCode).toBe(202);
      // getConsoleVersion is not rate-limited for that address.
      const m = await s.inject({ method: 'GET', url: '/api/v1/console-version?products=rep', remoteAddress: from });
      expect(m.statusCode).toBe(200);
    });

    test('GET /reports needs a viewer', async () => {
      expect((await s.call('GET', '/api/v1/reports')).statusCode).toBe(401);
    });

    test('/metrics has request counts and latency per route, the snapshot revision and build time, reports by kind', async () => {
      await s.call('GET', '/api/v1/console-version?products=rep&userId=u1');
      const r = await s.inject({ method: 'GET', url: '/metrics' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = r.body;
      expect(text).toMatch(/^finch_http_requests_total\{method="GET",route="\/api\/v1\/console-version",status="200"\} [1-9]\d*$/m);
      expect(text).toMatch(/^finch_http_requests_total\{method="POST",route="\/api\/v1\/reports",status="429"\} 1$/m);
      expect(text).toMatch(/^finch_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/console-version"\} \d+$/m);
      expect(text).toMatch(/^finch_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/reports"\} \d+$/m);
      const revision = s.deps.snapshot.current().revision;
      expect(text).toMatch(new RegExp(`^finch_snapshot_revision ${revision}$`, 'm'));
      expect(text).toMatch(/^finch_snapshot_build_seconds \d/m);
      expect(text).toMatch(/^finch_snapshot_built_timestamp_seconds \d{10}/m);
      // 3 exposures in the first test, REPORTS_PER_MINUTE + 1 accepted in the rate-limit test (not the 429).
      expect(text).toMatch(new RegExp(`^finch_reports_total\\{kind="exposure"\\} ${3 + REPORTS_PER_MINUTE + 1}$`, 'm'));
      expect(text).toMatch(/^finch_reports_total\{kind="integrity-error"\} 1$/m);
      expect(text).toMatch(/^finch_process_resident_memory_bytes \d+/m);
      // Unknown URLs are one series, not one per path.
      await s.inject({ method: 'GET', url: '/no/such/path/123' });
      await s.inject({ method: 'GET', url: '/no/such/path/456' });
      const again = (await s.inject({ method: 'GET', url: '/metrics' })).body;
      expect(again).not.toContain('/no/such/path');
      expect(again).toMatch(/^finch_http_requests_total\{method="GET",route="unmatched",status="404"\} 2$/m);
    });

    test('/healthz is 200 while the database answers, 503 with the error body when it does not', async () => {
      const ok = await s.inject({ method: 'GET', url: '/healthz' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok' });
      await s.deps.db.close();
      const down = await s.inject({ method: 'GET', url: '/healthz' });
      expect(down.statusCode).toBe(503);
      expect(down.json().error.code).toBe('storage-error');
    });
  });
}
