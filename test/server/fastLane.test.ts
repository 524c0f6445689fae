/**
 * The fast lane (server/hotPath/fastLane.ts) answers plain GET /console-version requests before Fastify.
 * Over real HTTP, every request here is compared with the same request through the Fastify route
 * (`inject`, which never passes the lane): same status, body and headers. An onRequest hook tells which
 * path a real request took, so the table also pins down what the lane takes and what it leaves to the
 * route. The lane reads no database, so one store (PGlite) is enough.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFastLane } from '../../server/hotPath/fastLane.js';
import type { Answer } from '../../server/hotPath/answer.js';
import { HttpStats } from '../../server/metrics/HttpStats.js';
import { createLocation, createStrategy, seedProduct, startServer, type TestLocation, type TestServer } from './harness.js';

const PATH = '/api/v1/console-version';

interface Started {
  s: TestServer;
  origin: string;
  /** Requests to PATH that reached Fastify (so not the lane). */
  routeHits(): number;
}

async function start(loc: TestLocation, env: Record<string, string> = {}): Promise<Started> {
  let hits = 0;
  const s = await startServer(loc, {
    env,
    beforeReady: (app) =>
      app.addHook('onRequest', (request, _reply, done) => {
        if (request.url.startsWith(PATH)) hits++;
        done();
      }),
  });
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = s.app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return { s, origin: `http://127.0.0.1:${addr.port}`, routeHits: () => hits };
}

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string | undefined>;
}

const HEADERS = ['etag', 'cache-control', 'content-type', 'content-length', 'vary'];

/** The same request over real HTTP and through inject; `lane` says whether the real one skipped Fastify. */
async function both(t: Started, url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<{ real: Seen; route: Seen; lane: boolean }> {
  const before = t.routeHits();
  const r = await fetch(t.origin + url, { method, headers });
  const real: Seen = { status: r.status, body: await r.text(), headers: Object.fromEntries(HEADERS.map((h) => [h, r.headers.get(h) ?? undefined])) };
  const lane = t.routeHits() === before;
  const i = await t.s.inject({ method, url, headers });
  const route: Seen = { status: i.statusCode, body: i.body, headers: Object.fromEntries(HEADERS.map((h) => [h, i.headers[h] === undefined ? undefined : String(i.headers[h])])) };
  return { real, route, lane };
}

describe('fast lane', () => {
  let loc: TestLocation;
  let t: Started;
  beforeAll(async () => {
    loc = await createLocation('pglite');
    t = await start(loc, { FINCH_TRUST_PROXY: '127.0.0.1' });
    const header = await seedProduct(t.s, 'header', ['1.0.0', '1.1.0']);
    const dash = await seedProduct(t.s, 'dashboard', ['1.0.0', '2.0.0']);
    await createStrategy(t.s, { product: 'header', resourceId: header.resources['1.0.0'], status: 'full' });
    await createStrategy(t.s, { product: 'header', resourceId: header.resources['1.1.0'], status: 'gray', priority: 2, rule: { users: ['alice', 'é-user', 'a b'] } });
    await createStrategy(t.s, { product: 'dashboard', resourceId: dash.resources['1.0.0'], status: 'full' });
    await createStrategy(t.s, { product: 'dashboard', resourceId: dash.resources['2.0.0'], status: 'gray', priority: 1, rule: { ip: ['203.0.113.0/24'] } });
    // Credentials are never rule input; other headers and cookies are, when a rule names them.
    const creds = await seedProduct(t.s, 'creds', ['1.0.0', '2.0.0', '3.0.0']);
    await createStrategy(t.s, { product: 'creds', resourceId: creds.resources['1.0.0'], status: 'full' });
    await createStrategy(t.s, {
      product: 'creds', resourceId: creds.resources['2.0.0'], status: 'gray', priority: 2,
      rule: { any: [{ attr: 'header.authorization', op: 'exists' }, { attr: 'header.cookie', op: 'exists' }, { attr: 'cookie.finch_session', op: 'exists' }] },
    });
    await createStrategy(t.s, {
      product: 'creds', resourceId: creds.resources['3.0.0'], status: 'gray', priority: 1,
      rule: { any: [{ attr: 'header.x-canary', op: 'eq', value: 'yes' }, { attr: 'cookie.canary', op: 'exists' }] },
    });
  });
  afterAll(async () => {
    await t?.s.close();
    await loc?.dispose();
  });

  const taken: Array<[string, string, Record<string, string>?]> = [
    ['two products, a listed user', `${PATH}?products=header,dashboard&userId=alice`],
    ['another user', `${PATH}?products=header,dashboard&userId=bob`],
    ['anonymous', `${PATH}?products=header`],
    ['unknown and repeated products', `${PATH}?products=header,nope,header&userId=alice`],
    ['keys in another order', `${PATH}?userId=alice&products=header`],
    ['a UTF-8 user id, escaped', `${PATH}?products=header&userId=%C3%A9-user`],
    ['+ is a space', `${PATH}?products=header&userId=a+b`],
    ['deviceId', `${PATH}?products=header&deviceId=d-1`],
    ['a broken escape, kept as text as the route keeps it', `${PATH}?products=header&userId=%E0%A4%A`],
    ['the longest user id', `${PATH}?products=header&userId=${'u'.repeat(256)}`],
    ['a trusted proxy forwards the client', `${PATH}?products=dashboard&userId=bob`, { 'x-forwarded-for': '203.0.113.9' }],
    ['X-Real-IP from a trusted peer', `${PATH}?products=dashboard&userId=bob`, { 'x-real-ip': '203.0.113.10' }],
  ];
  test.each(taken)('takes %s, and answers as the route does', async (_name, url, headers) => {
    const { real, route, lane } = await both(t, url, headers);
    expect(lane).toBe(true);
    expect(real.status).toBe(200);
    expect(real).toEqual(route);
    expect(real.headers['content-length']).toBe(String(Buffer.byteLength(real.body)));
    // ASCII on the wire, the same value once parsed.
    expect(real.body).toMatch(/^[\x20-\x7e]*$/);
    JSON.parse(real.body);
  });

  test('reads what the route reads: users, escapes, forwarded addresses', async () => {
    const get = async (url: string, headers: Record<string, string> = {}): Promise<{ userId: string | null; products: Record<string, { version: string }> }> =>
      (await fetch(t.origin + url, { headers })).json() as never;
    expect((await get(`${PATH}?products=header&userId=%C3%A9-user`)).products.header?.version).toBe('1.1.0');
    expect((await get(`${PATH}?products=header&userId=%C3%A9-user`)).userId).toBe('é-user');
    expect((await get(`${PATH}?products=header&userId=a+b`)).products.header?.version).toBe('1.1.0');
    expect((await get(`${PATH}?products=dashboard`, { 'x-forwarded-for': '203.0.113.9' })).products.dashboard?.version).toBe('2.0.0');
    expect((await get(`${PATH}?products=dashboard`, { 'x-forwarded-for': '198.51.100.1' })).products.dashboard?.version).toBe('1.0.0');
  });

  test('rules read the headers and cookies they name, never credentials', async () => {
    const version = async (headers: Record<string, string>): Promise<string | undefined> => {
      const { real, route, lane } = await both(t, `${PATH}?products=creds&userId=bob`, headers);
      expect(lane).toBe(true);
      expect(real).toEqual(route);
      return (JSON.parse(real.body) as { products: Record<string, { version: string }> }).products['creds']?.version;
    };
    expect(await version({})).toBe('1.0.0');
    expect(await version({ authorization: 'Bearer x', cookie: 'finch_session=s; theme=dark' })).toBe('1.0.0');
    expect(await version({ 'x-canary': 'yes' })).toBe('3.0.0');
    expect(await version({ cookie: 'theme=dark; canary=1' })).toBe('3.0.0');
  });

  test('If-None-Match with the current ETag: 304 from the lane', async () => {
    const first = await fetch(`${t.origin}${PATH}?products=header&userId=alice`);
    const etag = first.headers.get('etag') ?? '';
    const { real, route, lane } = await both(t, `${PATH}?products=header&userId=alice`, { 'if-none-match': etag });
    expect(lane).toBe(true);
    expect(real.status).toBe(304);
    expect(real).toEqual(route);
  });

  const left: Array<[string, string, number]> = [
    ['an empty product list', `${PATH}?products=`, 400],
    ['a bad product name', `${PATH}?products=Header`, 400],
    ['an unknown key', `${PATH}?products=header&foo=1`, 400],
    ['an empty user id', `${PATH}?products=header&userId=`, 400],
    ['a user id one too long', `${PATH}?products=header&userId=${'u'.repeat(257)}`, 400],
    ['101 products', `${PATH}?products=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')}`, 400],
    ['no query at all', PATH, 400],
    ['a repeated key', `${PATH}?products=header&products=dashboard`, 400],
    // 200 code points (ajv's measure) but 400 UTF-16 units: the lane is unsure, the route accepts it.
    ['a long id in astral characters', `${PATH}?products=header&userId=${encodeURIComponent('🙂'.repeat(200))}`, 200],
    ['a trailing slash', `${PATH}/?products=header`, 404],
  ];
  test.each(left)('leaves %s to the route', async (_name, url, status) => {
    const { real, route, lane } = await both(t, url);
    expect(lane).toBe(false);
    expect(real.status).toBe(status);
    expect(real).toEqual(route);
  });

  test('leaves HEAD to the route, which answers without a body', async () => {
    const { real, lane } = await both(t, `${PATH}?products=header&userId=alice`, {}, 'HEAD');
    expect(lane).toBe(false);
    expect(real.status).toBe(200);
    expect(real.body).toBe('');
  });

  test('counts its answers in /metrics with the route label', async () => {
    const count = async (): Promise<number> => {
      const text = await (await fetch(`${t.origin}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('finch_http_requests_total{') && l.includes('method="GET"') && l.includes(`route="${PATH}"`) && l.includes('status="200"'));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const before = await count();
    for (let i = 0; i < 3; i++) await fetch(`${t.origin}${PATH}?products=header&userId=u${i}`);
    expect(await count()).toBe(before + 3);
  });
});

describe('fast lane and identity modes', () => {
  let loc: TestLocation;
  beforeAll(async () => {
    loc = await createLocation('pglite');
  });
  afterAll(async () => {
    await loc?.dispose();
  });

  test('header mode: taken, the gateway header names the user', async () => {
    const t = await start(loc, { FINCH_IDENTITY: 'header:x-user' });
    try {
      const { real, route, lane } = await both(t, `${PATH}?products=header&userId=mallory`, { 'x-user': 'alice' });
      expect(lane).toBe(true);
      expect(real).toEqual(route);
      expect(JSON.parse(real.body).userId).toBe('alice');
      expect(real.headers['vary']).toBe('x-user');
    } finally {
      await t.s.close();
    }
  });

  test('jwt mode: every request goes to the route, which verifies the token', async () => {
    const t = await start(loc, { FINCH_IDENTITY: 'jwt', FINCH_JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256!' });
    try {
      const ok = await both(t, `${PATH}?products=header&userId=alice`);
      expect(ok.lane).toBe(false);
      expect(JSON.parse(ok.real.body).userId).toBeNull();
      const bad = await both(t, `${PATH}?products=header`, { authorization: 'Bearer not.a.jwt' });
      expect(bad.lane).toBe(false);
      expect(bad.real.status).toBe(401);
      expect(bad.real).toEqual(bad.route);
    } finally {
      await t.s.close();
    }
  });
});

describe('fast lane, unit', () => {
  const answer: Answer = { status: 200, headers: ['content-type', 'application/json', 'content-length', '2'], body: '{}' };
  const req = (url: string, method = 'GET'): IncomingMessage => ({ method, url, headers: {}, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;
  const res = (): ServerResponse & { written: string[] } => {
    const written: string[] = [];
    const r = { written, writeHead: () => r, end: (body?: string) => void written.push(body ?? '') };
    return r as unknown as ServerResponse & { written: string[] };
  };

  test('takes a plain GET; after close() it takes nothing, so Fastify answers 503 while closing', () => {
    const lane = createFastLane({ answer: () => answer, answerNow: () => answer }, new HttpStats([1]));
    const r1 = res();
    expect(lane.handle(req(`${PATH}?products=a`), r1)).toBe(true);
    expect(r1.written).toEqual(['{}']);
    expect(lane.handle(req(`${PATH}?products=a`, 'POST'), res())).toBe(false);
    expect(lane.handle(req(`${PATH}x?products=a`), res())).toBe(false);
    lane.close();
    const r2 = res();
    expect(lane.handle(req(`${PATH}?products=a`), r2)).toBe(false);
    expect(r2.written).toEqual([]);
  });

  test('stays off without a synchronous answerer (jwt mode)', () => {
    const lane = createFastLane({ answer: () => Promise.resolve(answer), answerNow: null }, new HttpStats([1]));
    expect(lane.handle(req(`${PATH}?products=a`), res())).toBe(false);
  });
});
