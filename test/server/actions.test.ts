/**
 * `POST /api/v1/actions`: the previous system's CI calls, sent as its scripts send them (the axios
 * CreateResource and the curl UpdateResource, plus the Bearer token they now need), register and change
 * builds through the same services and transition table as /api/v1; `remoteUser` is recorded in the
 * audit row and never trusted; the reads and the ingress (strategy) calls answer as their routes do.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';
import { tarGz, upload } from './builds/support.js';

const URL_ = '/api/v1/actions';

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`legacy actions on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    /** A publish token for legacy-app only, and its id (the audit actor). */
    let ci: { header: Record<string, string>; id: number };
    let projectId: number;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      await seedProduct(s, 'legacy-app', []);
      await seedProduct(s, 'other-app', []);
      projectId = (await s.call('GET', '/api/v1/products/legacy-app', undefined, s.auth.admin)).json().id;
      const t = await s.call('POST', '/api/v1/tokens', { name: 'gitlab ci', scopes: ['publish:legacy-app'] }, s.auth.admin);
      ci = { header: { authorization: `Bearer ${t.json().token}` }, id: t.json().id };
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    /** The body as the scripts write it, sent with their headers. */
    const send = (payload: string, headers: Record<string, string> = ci.header) =>
      s.inject({ method: 'POST', url: URL_, payload, headers: { 'content-type': 'application/json', ...headers } });
    const act = (body: Record<string, unknown>, headers: Record<string, string> = ci.header) => send(JSON.stringify(body), headers);
    const create = (fields: Record<string, unknown> = {}, headers: Record<string, string> = ci.header) =>
      act({ Action: 'CreateResource', projectId, branch: 'main', commitMsg: 'build', gitProjectId: 77, channel: 'stable', data: '{}', status: '0', ...fields }, headers);
    const resourceCount = async (): Promise<number> =>
      (await s.call('GET', '/api/v1/products/legacy-app/resources', undefined, s.auth.admin)).json().resources.length;
    const auditOf = async (action: string, target: string) => {
      const r = await s.call('GET', `/api/v1/audit?action=${action}&limit=500`, undefined, s.auth.admin);
      return (r.json().entries as Array<{ target: string; actor: string; details: Record<string, unknown> | null }>).filter((e) => e.target === target);
    };

    test('the verbatim CreateResource then UpdateResource register a build and fail it', async () => {
      const data = JSON.stringify({ files: ['static/js/main.3f2a.js', 'static/css/main.9c1d.css'], path: '/data/builds/legacy-app/8841' });
      // run_gray.js: axios POST with a remoteUser header and these fields, status "0".
      const created = await send(
        JSON.stringify({ Action: 'CreateResource', projectId, branch: 'main', commitMsg: 'feat: login page', gitProjectId: 1234, channel: 'stable', data, status: '0' }),
        { remoteUser: 'gitlab-alice', ...ci.header },
      );
      expect(created.statusCode).toBe(201);
      const build = created.json();
      expect(build).toMatchObject({
        id: expect.any(Number), product: 'legacy-app', status: 'built', branch: 'main',
        data, commitMsg: 'feat: login page', gitProjectId: '1234', channel: 'stable',
        baseUrl: `/releases/legacy-app/${build.id}/`,
      });
      expect(build.version).toMatch(/^main-\d{14}-[0-9a-f]{6}$/);

      // The deploy step's curl, the id as text, status "2".
      const failed = await send(`{"Action": "UpdateResource", "id": "${build.id}", "status": "2"}`, { remoteUser: 'gitlab-alice', ...ci.header });
      expect(failed.statusCode).toBe(200);
      expect(failed.json()).toMatchObject({ id: build.id, status: 'build_failed', data });
      expect((await s.call('GET', `/api/v1/resources/${build.id}`, undefined, s.auth.admin)).json().status).toBe('build_failed');
    });

    test.each([
      ['"0"', '0', 'built'], ['"2"', '2', 'build_failed'], ['"3"', '3', 'deploy_failed'],
      ['0', 0, 'built'], ['2', 2, 'build_failed'], ['3', 3, 'deploy_failed'],
      ['omitted', undefined, 'built'],
    ] as const)('CreateResource with status %s registers a %s build', async (_label, status, expected) => {
      const r = await create({ status });
      expect(r.statusCode).toBe(201);
      expect(r.json().status).toBe(expected);
    });

    test.each(['"1"', '1'])('CreateResource with status %s is refused: a build hosted here is deployed by its upload', async (label) => {
      const before = await resourceCount();
      const r = await create({ status: JSON.parse(label) });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
      expect(await resourceCount()).toBe(before);
    });

    test.each([
      ['"3"', '3', 200, 'deploy_failed'], ['"2"', '2', 200, 'build_failed'], ['"0"', '0', 200, 'built'],
      ['3', 3, 200, 'deploy_failed'],
      // built → deployed happens by uploading the files, as on PATCH.
      ['"1"', '1', 409, 'built'],
    ] as const)('UpdateResource of a built build with status %s: %s', async (_label, status, code, after) => {
      const id = (await create()).json().id;
      const r = await act({ Action: 'UpdateResource', id: String(id), status });
      expect(r.statusCode).toBe(code);
      if (code === 409) expect(r.json().error).toMatchObject({ code: 'illegal-transition', details: { from: 'built', to: 'deployed' } });
      expect((await s.call('GET', `/api/v1/resources/${id}`, undefined, s.auth.admin)).json().status).toBe(after);
    });

    test('after the upload, UpdateResource "1" answers the deployed build and "0" is an illegal transition', async () => {
      const id = (await create()).json().id;
      const up = await upload(s, id, await tarGz([{ name: 'main.js', content: 'export {}' }]), ci.header);
      expect(up.statusCode).toBe(200);
      const deployed = await act({ Action: 'UpdateResource', id: String(id), status: '1' });
      expect(deployed.statusCode).toBe(200);
      expect(deployed.json().status).toBe('deployed');
      const back = await act({ Action: 'UpdateResource', id, status: '0' });
      expect(back.statusCode).toBe(409);
      expect(back.json().error).toMatchObject({ code: 'illegal-transition', details: { from: 'deployed', to: 'built' } });
    });

    test('a failed build is final: UpdateResource back to "0" is 409 and changes nothing', async () => {
      const id = (await create({ status: '2' })).json().id;
      const r = await act({ Action: 'UpdateResource', id: String(id), status: '0' });
      expect(r.statusCode).toBe(409);
      expect(r.json().error).toMatchObject({ code: 'illegal-transition', details: { from: 'build_failed', to: 'built', allowed: [] } });
      expect((await s.call('GET', `/api/v1/resources/${id}`, undefined, s.auth.admin)).json().status).toBe('build_failed');
    });

    test.each([
      ['its id as a number', () => projectId],
      ['its id as text', () => String(projectId)],
      ['its name', () => 'legacy-app'],
    ])('projectId names the product by %s', async (_label, id) => {
      const r = await create({ projectId: id() });
      expect(r.statusCode).toBe(201);
      expect(r.json().product).toBe('legacy-app');
    });

    test.each([
      ['an unknown id', 999999],
      ['an unknown name', 'no-such-app'],
    ])('projectId naming %s: 404', async (_label, id) => {
      const r = await create({ projectId: id });
      expect(r.statusCode).toBe(404);
      expect(r.json().error.code).toBe('not-found');
    });

    test('the version: the data blob\'s version when it has one, the branch made safe, always a new build', async () => {
      const withVersion = await create({ data: JSON.stringify({ version: '1.4.0', files: [] }), branch: 'release/1.4' });
      expect(withVersion.json().version).toMatch(/^1\.4\.0\+release-1-4-\d{14}-[0-9a-f]{6}$/);
      const again = await create({ data: JSON.stringify({ version: '1.4.0', files: [] }), branch: 'release/1.4' });
      expect(again.statusCode).toBe(201);
      expect(again.json().id).not.toBe(withVersion.json().id);
      const noBranch = await create({ branch: null, data: 'not json at all' });
      expect(noBranch.json().version).toMatch(/^build-\d{14}-[0-9a-f]{6}$/);
      expect(noBranch.json().data).toBe('not json at all');
    });

    test('remoteUser is in the audit row; the actor is the token', async () => {
      const r = await create({}, { remoteUser: 'gitlab-bob', ...ci.header });
      const id = r.json().id;
      const [row] = await auditOf('resource.create', `resource:${id}`);
      expect(row).toMatchObject({ actor: `token:${ci.id}`, details: { remoteUser: 'gitlab-bob', action: 'CreateResource', via: 'POST /api/v1/actions' } });
      await act({ Action: 'UpdateResource', id: String(id), status: '3' }, { remoteUser: 'gitlab-carol', ...ci.header });
      const [update] = await auditOf('resource.update', `resource:${id}`);
      expect(update).toMatchObject({ actor: `token:${ci.id}`, details: { remoteUser: 'gitlab-carol', action: 'UpdateResource' } });
    });

    test.each([
      ['no token at all', {}, 401, 'unauthorized'],
      ['a token for another product', null, 403, 'forbidden'],
      ['a token for a product that does not exist', 'viewer', 403, 'forbidden'],
    ] as const)('a forged remoteUser gives no power: %s is %s', async (_label, auth, status, code) => {
      const headers = auth === null ? (await otherToken()) : auth === 'viewer' ? s.auth.viewer : auth;
      const before = await resourceCount();
      const r = await create({}, { remoteUser: 'admin', ...headers });
      expect(r.statusCode).toBe(status);
      expect(r.json().error.code).toBe(code);
      const id = (await create()).json().id;
      const u = await act({ Action: 'UpdateResource', id: String(id), status: '2' }, { remoteUser: 'admin', ...headers });
      expect(u.statusCode).toBe(status);
      expect((await s.call('GET', `/api/v1/resources/${id}`, undefined, s.auth.admin)).json().status).toBe('built');
      expect(await resourceCount()).toBe(before + 1);
    });

    async function otherToken(): Promise<Record<string, string>> {
      const t = await s.call('POST', '/api/v1/tokens', { name: 'other ci', scopes: ['publish:other-app'] }, s.auth.admin);
      return { authorization: `Bearer ${t.json().token}` };
    }

    test.each([
      ['an unknown Action', '{"Action": "DeleteEverything", "id": "1"}'],
      ['an Action in the wrong case', '{"Action": "createresource", "projectId": 1}'],
      ['no Action', '{"id": "1", "status": "2"}'],
      ['an Action that is not text', '{"Action": 7}'],
    ])('%s: 400 unknown-action listing the supported ones', async (_label, payload) => {
      const r = await send(payload);
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'unknown-action', details: { supported: expect.arrayContaining(['CreateResource', 'UpdateResource', 'UpdateIngress']) } });
      expect(r.json().error.message).toContain('CreateResource');
    });

    test.each([
      ['an anonymous caller with a broken body', '{"Action": ', {}, 401, 'unauthorized'],
      ['an unknown field', '{"Action": "UpdateResource", "id": "1", "status": "2", "force": true}', null, 400, 'invalid-input'],
      ['an id that is not one', '{"Action": "UpdateResource", "id": "1; drop", "status": "2"}', null, 400, 'invalid-input'],
      ['a status out of the table', '{"Action": "UpdateResource", "id": "1", "status": "4"}', null, 400, 'invalid-input'],
      ['no status', '{"Action": "UpdateResource", "id": "1"}', null, 400, 'invalid-input'],
    ] as const)('%s: %s', async (_label, payload, headers, status, code) => {
      const r = await send(payload, headers ?? ci.header);
      expect(r.statusCode).toBe(status);
      expect(r.json().error.code).toBe(code);
    });

    test('the reads answer as their routes, with what the scripts sent', async () => {
      const id = (await create({ data: '{"files":["a.js"]}', commitMsg: 'read me' })).json().id;
      const list = await act({ Action: 'GetResourcesByProjectId', projectId: String(projectId) }, s.auth.viewer);
      expect(list.statusCode).toBe(200);
      expect(list.json().resources[0]).toMatchObject({ id, data: '{"files":["a.js"]}', commitMsg: 'read me' });
      const one = await act({ Action: 'GetResourcesById', id: String(id) }, s.auth.viewer);
      expect(one.json()).toMatchObject({ id, product: 'legacy-app', data: '{"files":["a.js"]}' });
      const missing = await act({ Action: 'GetResourcesById', id: '999999' }, s.auth.viewer);
      expect(missing.statusCode).toBe(404);
      expect((await act({ Action: 'GetResourcesById', id: String(id) }, {})).statusCode).toBe(401);
    });

    test('ingresses are strategies: create with the legacy words, update without If-Match, read back', async () => {
      const { resources } = await seedProduct(s, 'ingress-app', ['1.0.0', '2.0.0']);
      const full = await act({ Action: 'CreateIngress', projectId: 'ingress-app', resourceId: String(resources['1.0.0']), status: 'success' }, { remoteUser: 'ops', ...s.auth.operator });
      expect(full.statusCode).toBe(201);
      expect(full.json()).toMatchObject({ product: 'ingress-app', status: 'full', resourceId: resources['1.0.0'] });
      const gray = await act({ Action: 'CreateIngress', projectId: 'ingress-app', resourceId: resources['2.0.0'], status: 'failure', rules: 'alice, bob' }, s.auth.operator);
      expect(gray.statusCode).toBe(201);
      expect(gray.json()).toMatchObject({ status: 'gray', rule: { users: ['alice', 'bob'] } });
      const grayId = gray.json().id;

      // Someone else changed it meanwhile; the legacy call, which never sends If-Match, applies over it.
      const etag = (await s.call('GET', `/api/v1/strategies/${grayId}`, undefined, s.auth.viewer)).headers['etag'] as string;
      expect((await s.call('PATCH', `/api/v1/strategies/${grayId}`, { priority: 3 }, { ...s.auth.operator, 'if-match': etag })).statusCode).toBe(200);
      const updated = await act({ Action: 'UpdateIngress', id: String(grayId), rules: ['carol'] }, { remoteUser: 'ops', ...s.auth.operator });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({ id: grayId, rule: { users: ['carol'] }, priority: 3, version: 3 });
      expect(updated.headers['etag']).toBe(`"s${grayId}-v3"`);
      const [row] = await auditOf('strategy.update', `strategy:${grayId}`);
      expect(row).toMatchObject({ actor: expect.stringMatching(/^token:/), details: { remoteUser: 'ops', action: 'UpdateIngress', ifMatch: expect.stringContaining('none') } });

      const read = await act({ Action: 'GetIngressById', id: grayId }, s.auth.viewer);
      expect(read.json()).toMatchObject({ id: grayId, rule: { users: ['carol'] } });
      const list = await act({ Action: 'GetIngressesByProjectId', projectId: 'ingress-app' }, s.auth.viewer);
      expect(list.json().strategies.map((x: { id: number }) => x.id).sort()).toEqual([full.json().id, grayId].sort());
    });

    test.each([
      ['a publish token creating an ingress', { Action: 'CreateIngress', projectId: 'legacy-app', resourceId: 1, status: 'success' }, 'publish', 403],
      ['"rules" and "rule" together', { Action: 'UpdateIngress', id: 1, rules: ['a'], rule: { users: ['b'] } }, 'operator', 400],
      ['UpdateIngress with nothing to change', { Action: 'UpdateIngress', id: 1 }, 'operator', 400],
      ['an unknown ingress', { Action: 'UpdateIngress', id: '999999', status: 'default' }, 'operator', 404],
    ] as const)('%s: %s', async (_label, body, who, status) => {
      const r = await act(body, s.auth[who]);
      expect(r.statusCode).toBe(status);
      expect(r.json().error.code).toMatch(/^[a-z-]+$/);
    });
  });
}
