/**
 * Report counts over time on the real app and database: reports are stamped with the minute they
 * arrive in and written with the totals in one transaction; `GET /reports/series` sums them into
 * epoch-aligned buckets, filters by product and build, returns only non-empty buckets, and refuses
 * windows it cannot answer; old buckets are pruned.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db, Queryable } from '../../../server/db/Db.js';
import { ReportBuffer } from '../../../server/reports/ReportBuffer.js';
import { BUCKET_RETENTION_DAYS, createBucketPruner } from '../../../server/reports/bucketRetention.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { newResource } from '../builds/support.js';

const at = (iso: string): number => Date.parse(iso);
const sec = (iso: string): number => Date.parse(iso) / 1000;

interface Series {
  resourceId: number;
  version: string;
  kind: string;
  points: Array<[number, number]>;
}

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`report series on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let clock = at('2026-03-10T12:00:30Z');
    let a = 0;
    let b = 0;
    let other = 0;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc, { now: () => clock });
      a = await newResource(s, 'rep', '1.0.0');
      b = await newResource(s, 'rep', '2.0.0');
      other = await newResource(s, 'rep-other', '1.0.0');
      const report = async (when: string, resourceId: number, product: string, kind: string, n: number) => {
        clock = at(when);
        const r = await s.call('POST', '/api/v1/reports', Array.from({ length: n }, () => ({ resourceId, product, kind })));
        expect(r.statusCode, r.body).toBe(202);
      };
      await report('2026-03-10T12:00:30Z', a, 'rep', 'exposure', 3);
      await report('2026-03-10T12:00:59Z', a, 'rep', 'load-error', 1);
      await report('2026-03-10T12:04:59Z', a, 'rep', 'exposure', 2);
      await report('2026-03-10T12:05:00Z', a, 'rep', 'exposure', 1);
      await report('2026-03-10T12:17:10Z', b, 'rep', 'exposure', 4);
      await report('2026-03-10T13:02:00Z', other, 'rep-other', 'exposure', 1);
      // Spoofed: a build of another product. Accepted, never stored.
      await report('2026-03-10T12:01:00Z', other, 'rep', 'runtime-error', 5);
      clock = at('2026-03-10T13:05:00Z');
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const series = (query: string) => s.call('GET', `/api/v1/reports/series?${query}`, undefined, s.auth.viewer);
    const ok = async (query: string) => {
      const r = await series(query);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { bucketSeconds: number; from: string; to: string; series: Series[] };
    };

    test('five-minute buckets of one product: only non-empty ones, per build and kind, aligned to the bucket', async () => {
      const r = await ok('product=rep&from=2026-03-10T12:00:00Z&to=2026-03-10T13:00:00Z&bucketSeconds=300');
      expect(r).toEqual({
        bucketSeconds: 300,
        from: '2026-03-10T12:00:00.000Z',
        to: '2026-03-10T13:00:00.000Z',
        series: [
          { resourceId: a, version: '1.0.0', kind: 'exposure', points: [[sec('2026-03-10T12:00:00Z'), 5], [sec('2026-03-10T12:05:00Z'), 1]] },
          { resourceId: a, version: '1.0.0', kind: 'load-error', points: [[sec('2026-03-10T12:00:00Z'), 1]] },
          { resourceId: b, version: '2.0.0', kind: 'exposure', points: [[sec('2026-03-10T12:15:00Z'), 4]] },
        ],
      });
    });

    test('minute buckets keep every minute apart; an hour sums them', async () => {
      const minutes = await ok(`resourceId=${a}&from=2026-03-10T12:00:00Z&to=2026-03-10T12:10:00Z&bucketSeconds=60`);
      expect(minutes.series.find((x) => x.kind === 'exposure')!.points).toEqual([
        [sec('2026-03-10T12:00:00Z'), 3], [sec('2026-03-10T12:04:00Z'), 2], [sec('2026-03-10T12:05:00Z'), 1],
      ]);
      const hours = await ok('product=rep&from=2026-03-10T11:30:00Z&to=2026-03-10T12:30:00Z&bucketSeconds=3600');
      expect(hours.from).toBe('2026-03-10T11:00:00.000Z');
      expect(hours.to).toBe('2026-03-10T13:00:00.000Z');
      expect(hours.series.map((x) => [x.resourceId, x.kind, x.points])).toEqual([
        [a, 'exposure', [[sec('2026-03-10T12:00:00Z'), 6]]],
        [a, 'load-error', [[sec('2026-03-10T12:00:00Z'), 1]]],
        [b, 'exposure', [[sec('2026-03-10T12:00:00Z'), 4]]],
      ]);
    });

    test('a window starting inside a bucket is snapped to the bucket, which counts whole', async () => {
      const r = await ok(`resourceId=${a}&from=2026-03-10T12:03:00Z&to=2026-03-10T12:06:00Z&bucketSeconds=300`);
      expect([r.from, r.to]).toEqual(['2026-03-10T12:00:00.000Z', '2026-03-10T12:10:00.000Z']);
      expect(r.series.find((x) => x.kind === 'exposure')!.points).toEqual([[sec('2026-03-10T12:00:00Z'), 5], [sec('2026-03-10T12:05:00Z'), 1]]);
    });

    test('days are UTC days', async () => {
      const r = await ok('product=rep-other&from=2026-03-09T00:00:00Z&to=2026-03-11T00:00:00Z&bucketSeconds=86400');
      expect(r.series).toEqual([{ resourceId: other, version: '1.0.0', kind: 'exposure', points: [[sec('2026-03-10T00:00:00Z'), 1]] }]);
    });

    test('filters: a build, a product, both, and a product with nothing', async () => {
      const window = 'from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&bucketSeconds=3600';
      expect((await ok(`resourceId=${b}&${window}`)).series.map((x) => x.resourceId)).toEqual([b]);
      expect((await ok(`product=rep&${window}`)).series.map((x) => x.resourceId)).toEqual([a, a, b]);
      expect((await ok(`product=rep&resourceId=${other}&${window}`)).series).toEqual([]);
      expect((await ok(`product=nothing-here&${window}`)).series).toEqual([]);
    });

    test('spoofed reports are in no bucket, and buckets add up to the totals', async () => {
      expect((await s.deps.db.query('SELECT 1 FROM report_buckets WHERE resource_id = $1 AND kind = $2', [other, 'runtime-error'])).rows).toEqual([]);
      const totals = await s.deps.db.query<{ resource_id: number; kind: string; count: string }>('SELECT resource_id, kind, count::text FROM report_counts ORDER BY 1, 2');
      const buckets = await s.deps.db.query<{ resource_id: number; kind: string; count: string }>('SELECT resource_id, kind, sum(count)::text AS count FROM report_buckets GROUP BY 1, 2 ORDER BY 1, 2');
      expect(buckets.rows).toEqual(totals.rows);
      expect(totals.rows.length).toBe(4);
    });

    test('defaults: the last 24 hours in five-minute buckets', async () => {
      const r = await ok('product=rep');
      expect(r.bucketSeconds).toBe(300);
      expect([r.from, r.to]).toEqual(['2026-03-09T13:05:00.000Z', '2026-03-10T13:05:00.000Z']);
      expect(r.series).toHaveLength(3);
    });

    test('at most 1,500 buckets: 25 hours by the minute pass, a second more is 400', async () => {
      expect((await series('product=rep&from=2026-03-09T12:00:00Z&to=2026-03-10T13:00:00Z&bucketSeconds=60')).statusCode).toBe(200);
      const r = await series('product=rep&from=2026-03-09T12:00:00Z&to=2026-03-10T13:00:01Z&bucketSeconds=60');
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'invalid-input', details: { limit: 1500 } });
      // The default window at minute buckets is 1,440 buckets: fine.
      expect((await series('product=rep&bucketSeconds=60')).statusCode).toBe(200);
    });

    test.each([
      ['no product or build', 'bucketSeconds=300'],
      ['from after to', 'product=rep&from=2026-03-10T13:00:00Z&to=2026-03-10T12:00:00Z'],
      ['from equal to to', 'product=rep&from=2026-03-10T13:00:00Z&to=2026-03-10T13:00:00Z'],
      ['a bucket size not offered', 'product=rep&bucketSeconds=120'],
      ['a bucket size that is no number', 'product=rep&bucketSeconds=five'],
      ['a date that is not RFC 3339', 'product=rep&from=yesterday'],
      ['an impossible date', 'product=rep&from=2026-02-30T00:00:00Z'],
      ['a bad product name', 'product=../rep'],
      ['resourceId 0', 'resourceId=0'],
      ['an unknown parameter', 'product=rep&kind=exposure'],
      ['a repeated parameter', 'product=rep&product=rep-other'],
    ])('bad input: %s is 400 invalid-input', async (_name, query) => {
      const r = await series(query);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
    });

    test('the OpenAPI document lists /api/v1/reports/series with a summary', async () => {
      const doc = (await s.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      expect(doc.paths['/api/v1/reports/series']?.['get']?.summary).toEqual(expect.stringMatching(/\w/));
    });

    test('needs a viewer', async () => {
      expect((await s.call('GET', '/api/v1/reports/series?product=rep')).statusCode).toBe(401);
    });

    test('a flush that fails writes neither totals nor buckets, and keeps its counts for the next', async () => {
      const buffer = new ReportBuffer(() => at('2026-03-10T14:00:00Z'));
      buffer.add({ resourceId: b, product: 'rep', kind: 'runtime-error' }, 7);
      // The real database, whose transaction is rolled back after the writes, as when the commit fails.
      const failing: Pick<Db, 'tx'> = {
        tx: <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => s.deps.db.tx(async (q) => {
          await fn(q);
          throw new Error('commit refused');
        }),
      };
      await expect(buffer.flush(failing)).rejects.toThrow('commit refused');
      const read = async () => [
        (await s.deps.db.query('SELECT count::int FROM report_counts WHERE resource_id = $1 AND kind = $2', [b, 'runtime-error'])).rows,
        (await s.deps.db.query('SELECT count::int FROM report_buckets WHERE resource_id = $1 AND kind = $2', [b, 'runtime-error'])).rows,
      ];
      expect(await read()).toEqual([[], []]);
      expect(buffer.size).toBe(1);
      await buffer.flush(s.deps.db);
      expect(await read()).toEqual([[{ count: 7 }], [{ count: 7 }]]);
    });

    test(`buckets older than ${BUCKET_RETENTION_DAYS} days are pruned, at most once an hour`, async () => {
      const old = new ReportBuffer(() => at('2025-11-01T08:00:00Z'));
      old.add({ resourceId: a, product: 'rep', kind: 'exposure' }, 2);
      await old.flush(s.deps.db);
      const minutes = async () => (await s.deps.db.query<{ m: Date }>('SELECT minute AS m FROM report_buckets WHERE resource_id = $1 ORDER BY minute', [a])).rows.map((r) => new Date(r.m).toISOString());
      expect((await minutes())[0]).toBe('2025-11-01T08:00:00.000Z');
      let now = at('2026-03-10T13:05:00Z');
      const prune = createBucketPruner(() => now);
      expect(await prune(s.deps.db)).toBe(1);
      expect((await minutes())[0]).toBe('2026-03-10T12:00:00.000Z');
      expect(await minutes()).toHaveLength(4);
      now += 30 * 60_000;
      expect(await prune(s.deps.db)).toBeNull();
      now += 31 * 60_000;
      expect(await prune(s.deps.db)).toBe(0);
    });
  });
}
