/**
 * A build's status follows one table, through every route that sets it: POST /resources (the first
 * status), PATCH /resources/{id} and the upload. Every (from, to) pair is tried over the API; failing
 * a deployed build turns its gray strategies off and is refused while a full strategy serves it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResourceStatus } from '../../../core/index.js';
import { createLocation, createStrategy, manifestFor, seedProduct, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { auditCount, newResource, tarGz, upload } from './support.js';

const STATUSES: ResourceStatus[] = ['built', 'deployed', 'build_failed', 'deploy_failed'];

/** The expected answer of PATCH {status: to} on a build in `from`: 200 (a change), 'same' (200, nothing written) or 409. */
const TABLE: Record<ResourceStatus, Record<ResourceStatus, 200 | 'same' | 409>> = {
  built: { built: 'same', deployed: 200, build_failed: 200, deploy_failed: 200 },
  deployed: { built: 409, deployed: 'same', build_failed: 409, deploy_failed: 200 },
  build_failed: { built: 409, deployed: 409, build_failed: 'same', deploy_failed: 409 },
  deploy_failed: { built: 409, deployed: 409, build_failed: 409, deploy_failed: 'same' },
};
const PAIRS = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, TABLE[from][to]] as const));

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`build status transitions on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    let n = 0;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    /** A build hosted elsewhere (so PATCH may deploy it) with one file, registered in `status`. */
    async function buildIn(status: ResourceStatus): Promise<{ id: number; product: string }> {
      const product = `st-${++n}`;
      expect((await s.call('POST', '/api/v1/products', { name: product }, s.auth.admin)).statusCode).toBe(201);
      const r = await s.call('POST', '/api/v1/resources', { product, version: '1.0.0', baseUrl: `/releases/${product}/cdn-1/`, files: ['main.js'], status }, s.auth.publish);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().status).toBe(status);
      return { id: r.json().id, product };
    }

    const stored = async (id: number): Promise<{ status: string; updatedAt: string }> => {
      const r = await s.call('GET', `/api/v1/resources/${id}`, undefined, s.auth.viewer);
      return { status: r.json().status, updatedAt: r.json().updatedAt };
    };

    test.each(PAIRS)('PATCH %s → %s: %s', async (from, to, want) => {
      const { id } = await buildIn(from);
      const before = await stored(id);
      const a0 = await auditCount(s);
      const r = await s.call('PATCH', `/api/v1/resources/${id}`, { status: to }, s.auth.publish);
      if (want === 409) {
        expect(r.statusCode, r.body).toBe(409);
        expect(r.json().error.code).toBe('illegal-transition');
        expect(r.json().error.details).toMatchObject({ from, to });
        expect(r.json().error.message).toContain(`from ${from} to ${to}`);
        expect(await stored(id)).toEqual(before);
        expect(await auditCount(s)).toBe(a0);
      } else if (want === 'same') {
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json().status).toBe(from);
        expect(await stored(id)).toEqual(before);
        expect(await auditCount(s)).toBe(a0);
      } else {
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json().status).toBe(to);
        expect((await stored(id)).status).toBe(to);
        expect(await auditCount(s)).toBe(a0 + 1);
      }
    });

    test('the seed\'s numbers name the same statuses (built 0, deployed 1, build_failed 2, deploy_failed 3)', async () => {
      const { id } = await buildIn('built');
      expect((await s.call('PATCH', `/api/v1/resources/${id}`, { status: 1 }, s.auth.publish)).json().status).toBe('deployed');
      const back = await s.call('PATCH', `/api/v1/resources/${id}`, { status: 0 }, s.auth.publish);
      expect(back.statusCode).toBe(409);
      expect(back.json().error.code).toBe('illegal-transition');
      expect((await s.call('PATCH', `/api/v1/resources/${id}`, { status: 3 }, s.auth.publish)).json().status).toBe('deploy_failed');
    });

    test('the same status and config again writes nothing: no audit row, no new revision', async () => {
      const { id } = await buildIn('deployed');
      const first = await s.call('PATCH', `/api/v1/resources/${id}`, { config: { theme: 'dark', n: 1 } }, s.auth.publish);
      expect(first.statusCode).toBe(200);
      const a0 = await auditCount(s);
      const revision = s.deps.snapshot.current().revision;
      const again = await s.call('PATCH', `/api/v1/resources/${id}`, { status: 'deployed', config: { n: 1, theme: 'dark' } }, s.auth.publish);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await auditCount(s)).toBe(a0);
      expect(s.deps.snapshot.current().revision).toBe(revision);
      // Another config is a change, even with the same status.
      const other = await s.call('PATCH', `/api/v1/resources/${id}`, { status: 'deployed', config: { n: 2 } }, s.auth.publish);
      expect(other.json().config).toEqual({ n: 2 });
      expect(await auditCount(s)).toBe(a0 + 1);
    });

    test('built → deployed needs files a page can load: a hosted build is deployed by its upload, a listed build by its files', async () => {
      const hosted = await newResource(s, 'st-hosted', '1.0.0', { files: ['main.js'] });
      const r1 = await s.call('PATCH', `/api/v1/resources/${hosted}`, { status: 'deployed' }, s.auth.publish);
      expect(r1.statusCode).toBe(409);
      expect(r1.json().error.code).toBe('illegal-transition');
      expect(r1.json().error.message).toContain(`PUT /api/v1/resources/${hosted}/files`);

      const bare = await s.call('POST', '/api/v1/resources', { product: 'st-hosted', version: '2.0.0', baseUrl: '/releases/st-hosted/cdn-2/' }, s.auth.publish);
      const r2 = await s.call('PATCH', `/api/v1/resources/${bare.json().id}`, { status: 'deployed' }, s.auth.publish);
      expect(r2.statusCode).toBe(409);
      expect(r2.json().error.code).toBe('illegal-transition');
      expect((await stored(bare.json().id)).status).toBe('built');
    });

    test.each([
      ['built', {}, 201],
      ['deployed', { baseUrl: '/releases/{p}/cdn/', files: ['main.js'] }, 201],
      ['build_failed', {}, 201],
      ['deploy_failed', { baseUrl: '/releases/{p}/cdn/', files: ['main.js'] }, 201],
      ['deployed', { baseUrl: '/releases/{p}/cdn/' }, 400],
      ['deployed', { files: ['main.js'] }, 400],
    ] as const)('POST /resources with status %s and %j: %i', async (status, extra, want) => {
      const product = `st-${++n}`;
      await s.call('POST', '/api/v1/products', { name: product }, s.auth.admin);
      const body = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, typeof v === 'string' ? v.replace('{p}', product) : v]));
      const r = await s.call('POST', '/api/v1/resources', { product, version: '1.0.0', status, ...body }, s.auth.publish);
      expect(r.statusCode, r.body).toBe(want);
      if (want === 201) expect(r.json().status).toBe(status);
      else expect(r.json().error.code).toBe('invalid-input');
    });

    test('a build registered with its own hosted folder as baseUrl is still deployed only by upload', async () => {
      await s.call('POST', '/api/v1/products', { name: 'st-own' }, s.auth.admin);
      const next = Number((await s.deps.db.query<{ id: number }>('SELECT last_value::int + 1 AS id FROM resources_id_seq')).rows[0]?.id);
      const r = await s.call('POST', '/api/v1/resources', { product: 'st-own', version: '1.0.0', baseUrl: `/releases/st-own/${next}/`, files: ['main.js'], status: 'deployed' }, s.auth.publish);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
    });

    test('a failed build takes no upload: 409 before the body is read, nothing stored', async () => {
      for (const status of ['build_failed', 'deploy_failed'] as const) {
        const id = await newResource(s, `st-up-${status.replace('_', '-')}`, '1.0.0', { status });
        const a0 = await auditCount(s);
        const r = await upload(s, id, await tarGz([{ name: 'main.js', content: 'x()' }]), s.auth.publish);
        expect(r.statusCode, r.body).toBe(409);
        expect(r.json().error.code).toBe('illegal-transition');
        expect((await stored(id)).status).toBe(status);
        expect(await auditCount(s)).toBe(a0);
        expect((await s.deps.db.query('SELECT 1 FROM release_files WHERE resource_id = $1', [id])).rows).toEqual([]);
      }
      // The upload is the built → deployed step, and then the build can be withdrawn like any other.
      const id = await newResource(s, 'st-up-ok', '1.0.0');
      const ok = await upload(s, id, await tarGz([{ name: 'main.js', content: 'x()' }]), s.auth.publish);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().status).toBe('deployed');
      expect((await s.call('PATCH', `/api/v1/resources/${id}`, { status: 'built' }, s.auth.publish)).json().error.code).toBe('illegal-transition');
      expect((await s.call('PATCH', `/api/v1/resources/${id}`, { status: 'deploy_failed' }, s.auth.publish)).json().status).toBe('deploy_failed');
    });

    test('failing a deployed build: its gray strategies go off in the same change; the full one must be rolled back first', async () => {
      const { resources } = await seedProduct(s, 'st-live', ['1.0.0', '2.0.0', '3.0.0']);
      const full = await createStrategy(s, { product: 'st-live', resourceId: resources['1.0.0'], status: 'full' });
      const gray = await createStrategy(s, { product: 'st-live', resourceId: resources['2.0.0'], status: 'gray', rule: { users: ['alice'] } });
      expect((await manifestFor(s, ['st-live'], 'alice')).body.products['st-live']?.version).toBe('2.0.0');

      // The build every user gets cannot be failed: the product would vanish from every manifest.
      const a0 = await auditCount(s);
      const refused = await s.call('PATCH', `/api/v1/resources/${resources['1.0.0']}`, { status: 'deploy_failed' }, s.auth.publish);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error).toMatchObject({ code: 'resource-in-use', details: { strategyId: full.id } });
      expect(refused.json().error.message).toContain('/api/v1/products/st-live/rollback');
      expect((await stored(resources['1.0.0']!)).status).toBe('deployed');
      expect(await auditCount(s)).toBe(a0);
      expect((await manifestFor(s, ['st-live'], 'bob')).body.products['st-live']?.version).toBe('1.0.0');

      // The gray build can be failed: its users fall back to the full build at once.
      const failed = await s.call('PATCH', `/api/v1/resources/${resources['2.0.0']}`, { status: 'deploy_failed' }, s.auth.publish);
      expect(failed.statusCode, failed.body).toBe(200);
      expect(failed.json().status).toBe('deploy_failed');
      const g = await s.call('GET', `/api/v1/strategies/${gray.id}`, undefined, s.auth.viewer);
      expect(g.json().status).toBe('off');
      expect(g.headers['etag']).not.toBe(gray.etag);
      expect((await manifestFor(s, ['st-live'], 'alice')).body.products['st-live']?.version).toBe('1.0.0');
      expect(await auditCount(s)).toBe(a0 + 1);
      const row = await s.deps.db.query<{ action: string; after: { strategiesTurnedOff?: number[] } }>('SELECT action, after FROM audit ORDER BY id DESC LIMIT 1');
      expect(row.rows[0]).toMatchObject({ action: 'resource.update', after: { strategiesTurnedOff: [gray.id] } });

      // Once another build is full, the old one may be failed.
      await createStrategy(s, { product: 'st-live', resourceId: resources['3.0.0'], status: 'full' });
      const later = await s.call('PATCH', `/api/v1/resources/${resources['1.0.0']}`, { status: 'deploy_failed' }, s.auth.publish);
      expect(later.statusCode, later.body).toBe(200);
      expect((await manifestFor(s, ['st-live'], 'bob')).body.products['st-live']?.version).toBe('3.0.0');
    });

    test('a build that never deployed may fail while strategies name it: nobody was served by it', async () => {
      const product = 'st-staged';
      await s.call('POST', '/api/v1/products', { name: product }, s.auth.admin);
      const staged = await s.call('POST', '/api/v1/resources', { product, version: '1.0.0', baseUrl: `/releases/${product}/cdn/`, files: ['main.js'] }, s.auth.publish);
      // A gray strategy may wait for its build (a full one may not: servable.test.ts).
      const st = await createStrategy(s, { product, resourceId: staged.json().id, status: 'gray', rule: { users: ['alice'] } });
      const r = await s.call('PATCH', `/api/v1/resources/${staged.json().id}`, { status: 'build_failed' }, s.auth.publish);
      expect(r.statusCode, r.body).toBe(200);
      expect((await s.call('GET', `/api/v1/strategies/${st.id}`, undefined, s.auth.viewer)).json().status).toBe('gray');
    });
  });
}
