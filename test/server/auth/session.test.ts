/**
 * Console users and sessions on the real app and database: the bootstrap admin, scrypt hashes at rest,
 * sign-in (wrong password 401, cookie flags), who-am-I, sign-out, and user management by admins.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocation, startServer, STORES, type TestLocation, type TestServer } from '../harness.js';

const ADMIN_PASSWORD = 'test-admin-password'; // the harness's FINCH_ADMIN_PASSWORD

function cookieOf(setCookie: string | string[] | undefined): { value: string; attrs: string[] } {
  const line = Array.isArray(setCookie) ? setCookie[0]! : setCookie ?? '';
  const [pair, ...attrs] = line.split(';').map((p) => p.trim());
  return { value: pair!.slice(pair!.indexOf('=') + 1), attrs };
}

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`console users and sessions on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer;

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    const login = (username: string, password: string) => s.call('POST', '/api/v1/session', { username, password });
    const withCookie = (value: string) => ({ cookie: `other=1; finch_session=${value}` });

    test('the first start created admin from FINCH_ADMIN_PASSWORD, stored as a salted scrypt hash', async () => {
      const r = await s.deps.db.query<{ username: string; role: string; password_hash: string }>('SELECT username, role, password_hash FROM users');
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0]).toMatchObject({ username: 'admin', role: 'admin' });
      expect(r.rows[0]!.password_hash).toMatch(/^scrypt\$8192\$8\$10\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
      expect(r.rows[0]!.password_hash).not.toContain(ADMIN_PASSWORD);
      const audit = await s.deps.db.query<{ actor: string; action: string }>("SELECT actor, action FROM audit WHERE target = 'user:admin'");
      expect(audit.rows).toEqual([{ actor: 'system', action: 'user.create' }]);
    });

    test('wrong password and unknown user are both 401 without a cookie', async () => {
      for (const [u, p] of [['admin', 'wrong-password!'], ['nobody', ADMIN_PASSWORD], ['ADMIN', ADMIN_PASSWORD]] as const) {
        const r = await login(u, p);
        expect(r.statusCode).toBe(401);
        expect(r.json().error.code).toBe('unauthorized');
        expect(r.headers['set-cookie']).toBeUndefined();
      }
    });

    test('sign-in sets an HttpOnly SameSite=Strict cookie whose hash alone is stored; sign-out ends it', async () => {
      const r = await login('admin', ADMIN_PASSWORD);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ kind: 'user', username: 'admin', role: 'admin' });
      const c = cookieOf(r.headers['set-cookie']);
      expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(c.attrs).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${12 * 3600}`]));
      expect(c.attrs).not.toContain('Secure'); // plain HTTP here; set on HTTPS

      const stored = await s.deps.db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
      expect(stored.rows.map((x) => x.id_hash)).toContain(createHash('sha256').update(c.value).digest('hex'));
      expect(JSON.stringify(stored.rows)).not.toContain(c.value);

      const me = await s.call('GET', '/api/v1/session', undefined, withCookie(c.value));
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ kind: 'user', username: 'admin', role: 'admin' });
      expect((await s.call('GET', '/api/v1/users', undefined, withCookie(c.value))).statusCode).toBe(200);

      const out = await s.call('DELETE', '/api/v1/session', undefined, withCookie(c.value));
      expect(out.statusCode).toBe(204);
      expect(cookieOf(out.headers['set-cookie']).attrs).toContain('Max-Age=0');
      expect(cookieOf(out.headers['set-cookie']).value).toBe('');
      expect((await s.call('GET', '/api/v1/session', undefined, withCookie(c.value))).statusCode).toBe(401);
      expect((await s.call('GET', '/api/v1/users', undefined, withCookie(c.value))).statusCode).toBe(401);
    });

    test('a made-up or malformed session cookie is 401', async () => {
      for (const v of ['A'.repeat(43), 'short', '../../etc', '']) {
        const r = await s.call('GET', '/api/v1/products', undefined, withCookie(v));
        expect(r.statusCode).toBe(401);
        expect(r.json().error.code).toBe('unauthorized');
      }
    });

    test('who-am-I for tokens, and 401 for nobody', async () => {
      const r = await s.call('GET', '/api/v1/session', undefined, s.auth.operator);
      expect(r.json()).toMatchObject({ kind: 'token', role: 'operator', scopes: ['operate'] });
      expect((await s.call('GET', '/api/v1/session')).statusCode).toBe(401);
    });

    test('admins add, change and remove users; roles apply to sessions at once', async () => {
      const created = await s.call('POST', '/api/v1/users', { username: 'olga', password: 'olga-password-1', role: 'operator' }, s.auth.admin);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ username: 'olga', role: 'operator' });
      expect(created.body).not.toContain('password');
      expect((await s.call('POST', '/api/v1/users', { username: 'olga', password: 'another-password', role: 'viewer' }, s.auth.admin)).statusCode).toBe(409);

      const olga = cookieOf((await login('olga', 'olga-password-1')).headers['set-cookie']).value;
      // operator: may read, may not manage users
      expect((await s.call('GET', '/api/v1/products', undefined, withCookie(olga))).statusCode).toBe(200);
      const denied = await s.call('GET', '/api/v1/users', undefined, withCookie(olga));
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('forbidden');

      const promoted = await s.call('PATCH', '/api/v1/users/olga', { role: 'admin' }, s.auth.admin);
      expect(promoted.json().role).toBe('admin');
      expect((await s.call('GET', '/api/v1/users', undefined, withCookie(olga))).statusCode).toBe(200);
      const list = await s.call('GET', '/api/v1/users', undefined, s.auth.admin);
      expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(['admin', 'olga']);

      // A new password signs the user out everywhere.
      expect((await s.call('PATCH', '/api/v1/users/olga', { password: 'olga-password-2' }, s.auth.admin)).statusCode).toBe(200);
      expect((await s.call('GET', '/api/v1/session', undefined, withCookie(olga))).statusCode).toBe(401);
      expect((await login('olga', 'olga-password-1')).statusCode).toBe(401);
      expect((await login('olga', 'olga-password-2')).statusCode).toBe(200);

      expect((await s.call('DELETE', '/api/v1/users/olga', undefined, s.auth.admin)).statusCode).toBe(204);
      expect((await s.call('GET', '/api/v1/users/olga', undefined, s.auth.admin)).statusCode).toBe(404);
      expect((await login('olga', 'olga-password-2')).statusCode).toBe(401);
      const actions = await s.deps.db.query<{ action: string }>("SELECT action FROM audit WHERE target = 'user:olga' ORDER BY id");
      expect(actions.rows.map((a) => a.action)).toEqual(['user.create', 'session.create', 'user.update', 'user.update', 'session.create']
        .concat(['user.delete']));
    });

    test('the last admin can be neither demoted nor removed', async () => {
      const demote = await s.call('PATCH', '/api/v1/users/admin', { role: 'viewer' }, s.auth.admin);
      expect(demote.statusCode).toBe(409);
      expect((await s.call('DELETE', '/api/v1/users/admin', undefined, s.auth.admin)).statusCode).toBe(409);
      expect((await s.call('GET', '/api/v1/users/admin', undefined, s.auth.admin)).json().role).toBe('admin');
    });

    test('viewers read but change nothing', async () => {
      await s.call('POST', '/api/v1/users', { username: 'vera', password: 'vera-password-1', role: 'viewer' }, s.auth.admin);
      const vera = cookieOf((await login('vera', 'vera-password-1')).headers['set-cookie']).value;
      expect((await s.call('GET', '/api/v1/products', undefined, withCookie(vera))).statusCode).toBe(200);
      expect((await s.call('POST', '/api/v1/products', { name: 'vera-app' }, withCookie(vera))).statusCode).toBe(403);
      expect((await s.call('POST', '/api/v1/strategies', { product: 'x', resourceId: 1, status: 'gray' }, withCookie(vera))).statusCode).toBe(403);
    });

    const badBodies: Array<[string, string, string, unknown]> = [
      ['POST', '/api/v1/session', 'missing password', { username: 'admin' }],
      ['POST', '/api/v1/session', 'number password', { username: 'admin', password: 12345678901 }],
      ['POST', '/api/v1/session', 'extra field', { username: 'admin', password: 'x', role: 'admin' }],
      ['POST', '/api/v1/session', 'huge password', { username: 'admin', password: 'x'.repeat(5000) }],
      ['POST', '/api/v1/session', 'not JSON', '{"username":'],
      ['POST', '/api/v1/session', 'an array', [{ username: 'admin', password: 'x' }]],
      ['POST', '/api/v1/users', 'short password', { username: 'shorty', password: 'short', role: 'viewer' }],
      ['POST', '/api/v1/users', 'unknown role', { username: 'rolf', password: 'long-enough-pw', role: 'root' }],
      ['POST', '/api/v1/users', 'bad username', { username: '../etc', password: 'long-enough-pw', role: 'viewer' }],
      ['POST', '/api/v1/users', 'username too long', { username: 'u'.repeat(65), password: 'long-enough-pw', role: 'viewer' }],
      ['POST', '/api/v1/users', 'password hash smuggled in', { username: 'hank', password: 'long-enough-pw', role: 'viewer', password_hash: 'x' }],
      ['PATCH', '/api/v1/users/admin', 'empty change', {}],
      ['PATCH', '/api/v1/users/admin', 'unknown role', { role: 'superuser' }],
      ['PATCH', '/api/v1/users/admin', 'short password', { password: 'short' }],
      ['PATCH', '/api/v1/users/..%2fadmin', 'bad name in path', { role: 'viewer' }],
    ];
    test.each(badBodies)('bad input: %s %s refuses %s with 400 and changes nothing', async (method, url, _name, body) => {
      const users0 = (await s.deps.db.query('SELECT username, role, password_hash FROM users ORDER BY id')).rows;
      const sessions0 = (await s.deps.db.query('SELECT id_hash FROM sessions')).rows.length;
      const r = await s.call(method as 'POST', url, typeof body === 'string' ? body : JSON.stringify(body), s.auth.admin);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.code).toBe('invalid-input');
      expect((await s.deps.db.query('SELECT username, role, password_hash FROM users ORDER BY id')).rows).toEqual(users0);
      expect((await s.deps.db.query('SELECT id_hash FROM sessions')).rows.length).toBe(sessions0);
    });
  });
}
