/**
 * API tokens and publish auth on the real app and database: tokens are shown once and stored as sha256 only;
 * a token × route matrix (no or unknown token 401, wrong scope or product 403, revoked 403); revoked is
 * told apart from unknown only for the right secret.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createToken } from '../../../server/auth/tokens.js';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';
import { tarGz } from '../builds/support.js';

type Need = 'open' | 'viewer' | 'publish' | 'operator' | 'admin';
type Who = 'none' | 'unknown' | 'tampered' | 'revoked' | 'publishNothing' | 'publishOther' | 'publishMx' | 'publishAll' | 'operate' | 'admin' | 'adminUser' | 'operatorUser';

/** What each caller gets: 'ok' (past the guard), or the status the guard answers. */
function expected(who: Who, need: Need): 'ok' | 401 | 403 {
  if (need === 'open') return 'ok';
  if (who === 'none' || who === 'unknown' || who === 'tampered') return 401;
  if (who === 'revoked') return 403;
  if (who === 'admin' || who === 'adminUser') return 'ok';
  if (need === 'viewer') return 'ok';
  if (need === 'publish') return who === 'publishMx' || who === 'publishAll' ? 'ok' : 403;
  if (need === 'operator') return who === 'operate' || who === 'operatorUser' ? 'ok' : 403;
  return 403;
}

const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`API tokens and the publish auth matrix on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;
    const headers = {} as Record<Who, Record<string, string>>;
    const secrets: string[] = [];
    let resourceId = 0;
    let strategyId = 0;
    let archive: Buffer;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      const bearer = async (scopes: string[]): Promise<Record<string, string>> => {
        const r = await s.call('POST', '/api/v1/tokens', { name: `t-${scopes.join('-')}`, scopes }, s.auth.admin);
        if (r.statusCode !== 201) throw new Error(r.body);
        secrets.push(r.json().token);
        return { authorization: `Bearer ${r.json().token}` };
      };
      const cookie = async (username: string, role: string): Promise<Record<string, string>> => {
        await s.call('POST', '/api/v1/users', { username, password: `${username}-password`, role }, s.auth.admin);
        const r = await s.call('POST', '/api/v1/session', { username, password: `${username}-password` });
        return { cookie: String(r.headers['set-cookie']).split(';')[0]! };
      };
      headers.none = {};
      headers.unknown = { authorization: `Bearer finch_999999_${'A'.repeat(43)}` };
      headers.publishNothing = await bearer(['publish:nothing-here']);
      headers.publishOther = await bearer(['publish:other']);
      headers.publishMx = await bearer(['publish:mx,other']);
      headers.publishAll = await bearer(['publish']);
      headers.operate = await bearer(['operate']);
      headers.admin = await bearer(['admin']);
      headers.revoked = await bearer(['admin']);
      const revokedId = Number(headers.revoked.authorization!.split('_')[1]);
      expect((await s.call('DELETE', `/api/v1/tokens/${revokedId}`, undefined, s.auth.admin)).statusCode).toBe(200);
      // The real id of a live admin token, with another secret.
      headers.tampered = { authorization: headers.admin.authorization!.slice(0, -43) + 'B'.repeat(43) };
      headers.adminUser = await cookie('ada', 'admin');
      headers.operatorUser = await cookie('otto', 'operator');

      expect((await s.call('POST', '/api/v1/products', { name: 'mx' }, s.auth.admin)).statusCode).toBe(201);
      const res = await s.call('POST', '/api/v1/resources', { product: 'mx', version: '1.0.0' }, s.auth.admin);
      resourceId = res.json().id;
      const st = await s.call('POST', '/api/v1/strategies', { product: 'mx', resourceId, status: 'off' }, s.auth.admin);
      expect(st.statusCode, st.body).toBe(201);
      strategyId = st.json().id;
      archive = await tarGz([{ name: 'main.js', content: 'mx()' }]);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    let n = 0;
    const routes: Array<[string, Need, () => Promise<{ statusCode: number; body: string }>, Who]> = [];
    const route = (name: string, need: Need, send: (h: Record<string, string>) => Promise<{ statusCode: number; body: string }>): void => {
      for (const who of Object.keys(expectedWho) as Who[]) routes.push([name, need, () => send(headers[who]), who]);
    };
    const expectedWho: Record<Who, true> = {
      none: true, unknown: true, tampered: true, revoked: true, publishNothing: true, publishOther: true,
      publishMx: true, publishAll: true, operate: true, admin: true, adminUser: true, operatorUser: true,
    };
    route('GET /console-version', 'open', (h) => s.call('GET', '/api/v1/console-version?products=mx&userId=u', undefined, h));
    route('GET /products', 'viewer', (h) => s.call('GET', '/api/v1/products', undefined, h));
    route('GET /resources/{id}', 'viewer', (h) => s.call('GET', `/api/v1/resources/${resourceId}`, undefined, h));
    route('GET /reports', 'viewer', (h) => s.call('GET', '/api/v1/reports', undefined, h));
    route('POST /resources', 'publish', (h) => s.call('POST', '/api/v1/resources', { product: 'mx', version: `2.0.${n++}` }, h));
    route('PATCH /resources/{id}', 'publish', (h) => s.call('PATCH', `/api/v1/resources/${resourceId}`, { config: { n: n++ } }, h));
    route('PUT /resources/{id}/files', 'publish', (h) => s.inject({ method: 'PUT', url: `/api/v1/resources/${resourceId}/files`, payload: archive, headers: { 'content-type': 'application/gzip', ...h } }));
    route('POST /strategies', 'operator', (h) => s.call('POST', '/api/v1/strategies', { product: 'mx', resourceId, status: 'off' }, h));
    route('PATCH /strategies/{id}', 'operator', (h) => s.call('PATCH', `/api/v1/strategies/${strategyId}`, { priority: 1 }, h));
    route('POST /products/{name}/rollback', 'operator', (h) => s.call('POST', '/api/v1/products/mx/rollback', undefined, h));
    route('POST /products', 'admin', (h) => s.call('POST', '/api/v1/products', { name: `mx-${n++}` }, h));
    route('GET /audit', 'admin', (h) => s.call('GET', '/api/v1/audit', undefined, h));
    route('GET /users', 'admin', (h) => s.call('GET', '/api/v1/users', undefined, h));
    route('POST /users', 'admin', (h) => s.call('POST', '/api/v1/users', { username: `u${n++}`, password: 'long-enough-pw', role: 'viewer' }, h));
    route('GET /tokens', 'admin', (h) => s.call('GET', '/api/v1/tokens', undefined, h));
    route('POST /tokens', 'admin', (h) => s.call('POST', '/api/v1/tokens', { name: 'x', scopes: ['operate'] }, h));

    test.each(routes)('publish auth: %s (%s) as %s', async (_name, need, send, who) => {
      const r = await send();
      const want = expected(who, need);
      if (want === 'ok') {
        expect([401, 403], r.body).not.toContain(r.statusCode);
        expect(r.statusCode, r.body).toBeLessThan(500);
      } else {
        expect(r.statusCode, r.body).toBe(want);
        expect(JSON.parse(r.body).error.code).toBe(want === 401 ? 'unauthorized' : 'forbidden');
      }
    });

    test('a token is shown once and only its sha256 is stored', async () => {
      const r = await s.call('POST', '/api/v1/tokens', { name: 'ci', scopes: ['publish:mx', 'operate'] }, s.auth.admin);
      expect(r.statusCode).toBe(201);
      expect(r.headers['cache-control']).toBe('no-store');
      const { id, token } = r.json();
      expect(token).toMatch(new RegExp(`^finch_${id}_[A-Za-z0-9_-]{43}$`));
      secrets.push(token);
      const secret = token.slice(`finch_${id}_`.length);
      const rows = await s.deps.db.query<Record<string, unknown>>('SELECT * FROM api_tokens');
      const dump = JSON.stringify(rows.rows);
      for (const t of secrets) {
        expect(dump).not.toContain(t.slice(-43));
      }
      expect(rows.rows.find((row) => Number(row['id']) === id)?.['secret_hash']).toBe(sha256hex(secret));
      const audit = JSON.stringify((await s.deps.db.query('SELECT * FROM audit')).rows);
      expect(audit).not.toContain(secret);
      const list = await s.call('GET', '/api/v1/tokens', undefined, s.auth.admin);
      expect(list.json().tokens.find((t: { id: number }) => t.id === id)).toMatchObject({ name: 'ci', scopes: ['publish:mx', 'operate'], revokedAt: null });
      expect(list.body).not.toContain(secret);
    });

    test('revoked (403) is told from unknown (401) only with the right secret; revoking twice writes one audit row', async () => {
      const t = await createToken(s.deps.db, { name: 'short-lived', scopes: ['admin'], createdBy: 'test' });
      const h = { authorization: `Bearer ${t.token}` };
      expect((await s.call('GET', '/api/v1/audit', undefined, h)).statusCode).toBe(200);
      expect((await s.call('DELETE', `/api/v1/tokens/${t.id}`, undefined, s.auth.admin)).json().revokedAt).toEqual(expect.any(String));
      expect((await s.call('DELETE', `/api/v1/tokens/${t.id}`, undefined, s.auth.admin)).statusCode).toBe(200);
      const rows = await s.deps.db.query("SELECT 1 FROM audit WHERE action = 'token.revoke' AND target = $1", [`token:${t.id}`]);
      expect(rows.rows).toHaveLength(1);
      const revoked = await s.call('GET', '/api/v1/audit', undefined, h);
      expect(revoked.statusCode).toBe(403);
      expect(revoked.json().error.message).toMatch(/revoked/);
      const guessed = await s.call('GET', '/api/v1/audit', undefined, { authorization: `Bearer finch_${t.id}_${'C'.repeat(43)}` });
      expect(guessed.statusCode).toBe(401);
      expect((await s.call('DELETE', '/api/v1/tokens/999999', undefined, s.auth.admin)).statusCode).toBe(404);
    });

    test.each([
      ['no scopes', { name: 'x', scopes: [] }],
      ['unknown scope', { name: 'x', scopes: ['root'] }],
      ['bad product in scope', { name: 'x', scopes: ['publish:Bad_Name'] }],
      ['empty product list', { name: 'x', scopes: ['publish:'] }],
      ['scopes not an array', { name: 'x', scopes: 'admin' }],
      ['missing name', { scopes: ['admin'] }],
      ['blank name', { name: '   ', scopes: ['admin'] }],
      ['extra field', { name: 'x', scopes: ['admin'], secret: 'mine' }],
    ])('bad input: POST /tokens refuses %s with 400 and stores nothing', async (_n, body) => {
      const before = (await s.deps.db.query('SELECT id FROM api_tokens')).rows.length;
      const r = await s.call('POST', '/api/v1/tokens', body, s.auth.admin);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
      expect((await s.deps.db.query('SELECT id FROM api_tokens')).rows.length).toBe(before);
    });

    test.each([
      'Bearer', 'Bearer ', 'Bearer finch_', 'Bearer finch_0_' + 'A'.repeat(43), 'Bearer finch_1_' + 'A'.repeat(42),
      'Bearer finch_99999999999_' + 'A'.repeat(43), 'Basic YWRtaW46YWRtaW4=', 'Bearer ' + 'x'.repeat(5000),
    ])('bad input: a malformed Authorization header is 401, never 5xx: %s', async (value) => {
      const r = await s.call('GET', '/api/v1/products', undefined, { authorization: value.slice(0, 6000) });
      expect(r.statusCode).toBe(401);
    });
  });
}
