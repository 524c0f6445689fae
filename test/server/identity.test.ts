/**
 * Identity (docs/manifest.md) end to end: spoofed user (in header and jwt identity modes the request's own userId never wins)
 * and spoofed IP (X-Forwarded-For only counts past trusted proxies), plus the attributes rules see.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createLocation, createStrategy, seedProduct, startServer, STORES, type TestLocation, type TestServer } from './harness.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!';
const hs = (claims: Record<string, unknown>, opts: { exp?: string; secret?: string } = {}): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(opts.exp ?? '1h').sign(new TextEncoder().encode(opts.secret ?? SECRET));

for (const store of STORES) {
  describe.skipIf(store.skip !== null)(`identity and client IP on ${store.name}${store.skip ? ` (skipped: ${store.skip})` : ''}`, () => {
    let loc: TestLocation;
    let s: TestServer | null = null;
    const version = async (srv: TestServer, body: Record<string, unknown>, headers: Record<string, string> = {}, remoteAddress?: string): Promise<{ status: number; userId?: string | null; v?: string }> => {
      const r = await srv.inject({ method: 'POST', url: '/api/v1/console-version', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ products: ['id-app', 'ip-app'], ...body }), ...(remoteAddress ? { remoteAddress } : {}) });
      if (r.statusCode !== 200) return { status: r.statusCode };
      const m = r.json();
      return { status: 200, userId: m.userId, v: m.products['id-app']?.version };
    };
    const ipVersion = async (srv: TestServer, headers: Record<string, string>, remoteAddress: string): Promise<string | undefined> => {
      const r = await srv.inject({ method: 'GET', url: '/api/v1/console-version?products=ip-app', headers, remoteAddress });
      return r.json().products['ip-app']?.version;
    };
    const restart = async (env: Record<string, string>): Promise<TestServer> => {
      await s?.close();
      s = await startServer(loc, { env, tokens: false });
      return s;
    };

    beforeAll(async () => {
      loc = await createLocation(store.name);
      s = await startServer(loc);
      const id = await seedProduct(s, 'id-app', ['1.0.0', '2.0.0', '3.0.0']);
      await createStrategy(s, { product: 'id-app', resourceId: id.resources['1.0.0'], status: 'full' });
      await createStrategy(s, { product: 'id-app', resourceId: id.resources['2.0.0'], status: 'gray', priority: 1, rule: { users: ['alice'] } });
      await createStrategy(s, { product: 'id-app', resourceId: id.resources['3.0.0'], status: 'gray', priority: 2, rule: { attr: 'claim.group', op: 'eq', value: 'beta' } });
      const ip = await seedProduct(s, 'ip-app', ['1.0.0', '2.0.0', '3.0.0']);
      await createStrategy(s, { product: 'ip-app', resourceId: ip.resources['1.0.0'], status: 'full' });
      await createStrategy(s, { product: 'ip-app', resourceId: ip.resources['2.0.0'], status: 'gray', priority: 1, rule: { ip: ['1.2.3.0/24', '2001:db8::/32'] } });
      await createStrategy(s, { product: 'ip-app', resourceId: ip.resources['3.0.0'], status: 'gray', priority: 2, rule: { any: [{ attr: 'header.x-canary', op: 'eq', value: 'yes' }, { attr: 'cookie.canary', op: 'exists' }] } });
    });
    afterAll(async () => {
      await s?.close();
      await loc?.dispose();
    });

    test('param mode (default): the request names the user; client attributes cannot pose as claims', async () => {
      const srv = s as TestServer;
      expect(await version(srv, { userId: 'alice' })).toMatchObject({ userId: 'alice', v: '2.0.0' });
      expect(await version(srv, { userId: 'bob' })).toMatchObject({ userId: 'bob', v: '1.0.0' });
      expect(await version(srv, { userId: 'bob', attributes: { 'claim.group': 'beta' } })).toMatchObject({ v: '1.0.0' });
      expect((await srv.inject({ method: 'GET', url: '/api/v1/console-version?products=id-app&userId=alice' })).json().products['id-app'].version).toBe('2.0.0');
    });

    test('spoofed user, header mode: the gateway header is the user, a differing userId in the request is ignored', async () => {
      const srv = await restart({ FINCH_IDENTITY: 'header:X-Finch-User' });
      expect(await version(srv, { userId: 'alice' }, { 'x-finch-user': 'bob' })).toMatchObject({ userId: 'bob', v: '1.0.0' });
      expect(await version(srv, { userId: 'bob' }, { 'x-finch-user': 'alice' })).toMatchObject({ userId: 'alice', v: '2.0.0' });
      // No header: anonymous, whatever the body says.
      expect(await version(srv, { userId: 'alice' })).toMatchObject({ userId: null, v: '1.0.0' });
      const get = await srv.inject({ method: 'GET', url: '/api/v1/console-version?products=id-app&userId=alice' });
      expect(get.json()).toMatchObject({ userId: null, products: { 'id-app': { version: '1.0.0' } } });
    });

    test('spoofed user, jwt mode (HS256): sub is the user from a Bearer token or the cookie, claims are attributes, bad tokens 401', async () => {
      const srv = await restart({ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: SECRET });
      const bob = await hs({ sub: 'bob' });
      expect(await version(srv, { userId: 'alice' }, { authorization: `Bearer ${bob}` })).toMatchObject({ status: 200, userId: 'bob', v: '1.0.0' });
      const alice = await hs({ sub: 'alice' });
      expect(await version(srv, { userId: 'bob' }, { cookie: `theme=dark; finch_jwt=${alice}` })).toMatchObject({ userId: 'alice', v: '2.0.0' });
      const beta = await hs({ sub: 'carol', group: 'beta' });
      expect(await version(srv, {}, { authorization: `Bearer ${beta}` })).toMatchObject({ userId: 'carol', v: '3.0.0' });
      // A client-sent attribute cannot fake the claim.
      const plain = await hs({ sub: 'dave', group: 'ga' });
      expect(await version(srv, { attributes: { 'claim.group': 'beta' } }, { authorization: `Bearer ${plain}` })).toMatchObject({ userId: 'dave', v: '1.0.0' });
      // No token: anonymous; the body's userId is not believed.
      expect(await version(srv, { userId: 'alice' })).toMatchObject({ userId: null, v: '1.0.0' });

      const forged = await hs({ sub: 'alice' }, { secret: 'another-secret-that-is-also-long-enough!!' });
      const expired = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_100).sign(new TextEncoder().encode(SECRET));
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`;
      for (const bad of [forged, expired, none, 'not.a.jwt']) {
        const r = await srv.inject({ method: 'POST', url: '/api/v1/console-version', headers: { 'content-type': 'application/json', authorization: `Bearer ${bad}` }, payload: JSON.stringify({ products: ['id-app'], userId: 'alice' }) });
        expect(r.statusCode).toBe(401);
        expect(r.json().error.code).toBe('unauthorized');
      }
    });

    test('jwt mode checks issuer, audience, age, and refuses tokens without exp unless told otherwise', async () => {
      const status = async (srv: TestServer, token: string): Promise<number> => (await version(srv, {}, { authorization: `Bearer ${token}` })).status;
      const key = new TextEncoder().encode(SECRET);
      const sign = (claims: Record<string, unknown>, build: (j: SignJWT) => SignJWT = (j) => j.setIssuedAt().setExpirationTime('1h')): Promise<string> =>
        build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(key);

      let srv = await restart({ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: SECRET, FINCH_JWT_ISSUER: 'https://id.example.com', FINCH_JWT_AUDIENCE: 'finch', FINCH_JWT_MAX_AGE: '600' });
      expect(await status(srv, await sign({ sub: 'bob', iss: 'https://id.example.com', aud: 'finch' }))).toBe(200);
      expect(await status(srv, await sign({ sub: 'bob', iss: 'https://evil.example.com', aud: 'finch' }))).toBe(401);
      expect(await status(srv, await sign({ sub: 'bob', iss: 'https://id.example.com', aud: 'another-app' }))).toBe(401);
      expect(await status(srv, await sign({ sub: 'bob', aud: 'finch' }))).toBe(401);
      // Issued an hour ago, valid for a day: older than FINCH_JWT_MAX_AGE.
      const old = Math.floor(Date.now() / 1000) - 3600;
      expect(await status(srv, await sign({ sub: 'bob', iss: 'https://id.example.com', aud: 'finch' }, (j) => j.setIssuedAt(old).setExpirationTime(old + 86_400)))).toBe(401);

      srv = await restart({ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: SECRET });
      const forever = await sign({ sub: 'bob' }, (j) => j.setIssuedAt());
      expect(await status(srv, forever)).toBe(401);
      srv = await restart({ FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: SECRET, FINCH_JWT_REQUIRE_EXP: 'off' });
      expect(await status(srv, forever)).toBe(200);
    });

    test('the identity header is named in Vary, so shared caches keep one answer per user', async () => {
      const srv = await restart({ FINCH_IDENTITY: 'header:X-Finch-User' });
      const r = await srv.inject({ method: 'GET', url: '/api/v1/console-version?products=id-app', headers: { 'x-finch-user': 'alice' } });
      expect(r.headers['vary']).toBe('x-finch-user');
      const param = await restart({});
      expect((await param.inject({ method: 'GET', url: '/api/v1/console-version?products=id-app&userId=alice' })).headers['vary']).toBeUndefined();
    });

    test('spoofed user, jwt mode (JWKS over HTTP, RS256)', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      const jwks: Server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      try {
        const port = (jwks.address() as AddressInfo).port;
        const srv = await restart({ FINCH_IDENTITY: 'jwt', FINCH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` });
        const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('1h').sign(privateKey);
        expect(await version(srv, { userId: 'bob' }, { authorization: `Bearer ${token}` })).toMatchObject({ userId: 'alice', v: '2.0.0' });
        const hsToken = await hs({ sub: 'alice' });
        expect((await version(srv, {}, { authorization: `Bearer ${hsToken}` })).status).toBe(401);
      } finally {
        await s?.close();
        s = null;
        await new Promise<void>((resolve) => jwks.close(() => resolve()));
      }
    });

    test('spoofed IP, no trusted proxies: X-Forwarded-For and X-Real-IP are ignored, the socket peer counts', async () => {
      const srv = await restart({});
      expect(await ipVersion(srv, { 'x-forwarded-for': '1.2.3.4' }, '127.0.0.1')).toBe('1.0.0');
      expect(await ipVersion(srv, { 'x-real-ip': '1.2.3.4' }, '127.0.0.1')).toBe('1.0.0');
      expect(await ipVersion(srv, {}, '1.2.3.9')).toBe('2.0.0');
      expect(await ipVersion(srv, {}, '::ffff:1.2.3.9')).toBe('2.0.0');
      expect(await ipVersion(srv, {}, '2001:db8::1')).toBe('2.0.0');
      // Headers and cookies reach rules as attributes.
      expect(await ipVersion(srv, { 'x-canary': 'yes' }, '127.0.0.1')).toBe('3.0.0');
      expect(await ipVersion(srv, { cookie: 'canary=1' }, '127.0.0.1')).toBe('3.0.0');
    });

    test('spoofed IP, trusted proxies: the right-most untrusted X-Forwarded-For address counts; X-Real-IP only from a trusted peer', async () => {
      const srv = await restart({ FINCH_TRUST_PROXY: '127.0.0.1/32, 10.0.0.0/8' });
      expect(await ipVersion(srv, { 'x-forwarded-for': '1.2.3.4' }, '127.0.0.1')).toBe('2.0.0');
      // A client-written first hop does not count: 9.9.9.9 is spoofable, 1.2.3.4 was added by our proxy.
      expect(await ipVersion(srv, { 'x-forwarded-for': '1.2.3.4, 9.9.9.9' }, '127.0.0.1')).toBe('1.0.0');
      expect(await ipVersion(srv, { 'x-forwarded-for': '9.9.9.9, 1.2.3.4, 10.1.1.1' }, '127.0.0.1')).toBe('2.0.0');
      // From an untrusted peer the header is ignored.
      expect(await ipVersion(srv, { 'x-forwarded-for': '1.2.3.4' }, '8.8.8.8')).toBe('1.0.0');
      expect(await ipVersion(srv, { 'x-real-ip': '1.2.3.4' }, '10.0.0.7')).toBe('2.0.0');
      expect(await ipVersion(srv, { 'x-real-ip': '1.2.3.4' }, '8.8.8.8')).toBe('1.0.0');
    });
  });
}
