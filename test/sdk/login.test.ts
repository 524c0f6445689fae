// @vitest-environment happy-dom
// Login: cache first while fresh, network first when old, a control plane that is down or slow, corrupt
// manifests, unsafe URLs, a user switch, no IndexedDB.
import { IDBFactory } from 'fake-indexeddb';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Manifest } from '../../core/manifest.js';
import { CURRENT_KEY, manifestKey } from '../../core/protocol.js';
import type { StoredManifest } from '../../core/protocol.js';
import { idbStore, memoryStore } from '../../sdk/FinchStore.js';
import type { FinchStore } from '../../sdk/FinchStore.js';
import type { FinchOptions } from '../../sdk/types.js';
import { collect, controlPlane, entry, gate, grayEntry, json, manifest, next, startFinch } from './fixtures.js';
import type { TestFinch } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const T0 = 1_700_000_000_000;
let clock = T0;
let db: FinchStore;
beforeEach(() => {
  // A fresh IndexedDB per test: idb-keyval opens it lazily, so the SDK's and the test's stores share it.
  globalThis.indexedDB = new IDBFactory();
  db = idbStore();
  clock = T0;
});

// Clients of finished tests would still retry on their back-off timers into the next test's handlers.
const clients: TestFinch[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout()));
});
const client = (extra: Partial<FinchOptions> = {}) => {
  const c = startFinch({ endpoint: '/api/v1', products: ['dashboard', 'header'], timeoutMs: 200, now: () => clock, ...extra });
  clients.push(c);
  return c;
};

const ALICE = manifest('alice', { dashboard: grayEntry('dashboard', 42, '2.0.0', 40) }, { revision: 7 });
const ALICE_OLD = manifest('alice', { dashboard: entry('dashboard', 40, '1.0.0') }, { revision: 5 });
const BOB = manifest('bob', { dashboard: entry('dashboard', 40, '1.0.0') }, { revision: 7 });

async function storeFor(userId: string, m: Manifest, ageSeconds: number, etag: string | null = '"old"'): Promise<StoredManifest> {
  const s: StoredManifest = { manifest: m, storedAt: clock - ageSeconds * 1000, etag };
  await db.set(manifestKey(userId), s);
  return s;
}

describe('login with nothing stored', () => {
  test('asks the control plane (POST, credentials, attributes), uses and stores the answer', async () => {
    const cp = controlPlane(server, () => json(ALICE, '"r7"'));
    const finch = client();
    const ready = next(finch, 'ready');
    await finch.login('alice', { group: 'beta' });
    expect(await ready).toEqual({ userId: 'alice', source: 'network' });
    expect(cp.calls).toEqual([
      { body: { userId: 'alice', products: ['dashboard', 'header'], attributes: { group: 'beta' } }, ifNoneMatch: null, credentials: 'include' },
    ]);
    expect(finch.resource('dashboard')).toEqual(ALICE.products.dashboard);
    expect(finch.resource('header')).toBeNull();
    expect(await db.get(manifestKey('alice'))).toEqual({ manifest: ALICE, storedAt: T0, etag: '"r7"' });
    expect(await db.get(CURRENT_KEY)).toEqual({ userId: 'alice' });
  });

  test('control plane down and nothing stored: login resolves with no builds, error event', async () => {
    controlPlane(server, () => new HttpResponse(null, { status: 503 }));
    const finch = client();
    const errors = collect(finch, 'error');
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'none' });
    expect(finch.resource('dashboard')).toBeNull();
    expect(errors.map((e) => [e.code, e.details.status])).toEqual([['network-error', 503]]);
  });
});

describe('cache first while fresh', () => {
  test('login resolves from the store without waiting for the network, then refreshes with If-None-Match; 304 keeps it', async () => {
    await storeFor('alice', ALICE, 100);
    const asked = gate();
    const hold = gate();
    const cp = controlPlane(server, async () => {
      asked.open();
      await hold.promise;
      return new HttpResponse(null, { status: 304 });
    });
    const finch = client();
    const updates = collect(finch, 'update');
    const ready = next(finch, 'ready');
    // The control plane holds its answer: login must still resolve.
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'cache' });
    expect(finch.resource('dashboard')).toEqual(ALICE.products.dashboard);
    await asked.promise;
    expect(cp.calls).toHaveLength(1);
    expect(cp.calls[0]!.ifNoneMatch).toBe('"old"');
    clock += 5_000;
    hold.open();
    await finch.settled();
    expect(await db.get(manifestKey('alice'))).toEqual({ manifest: ALICE, storedAt: clock, etag: '"old"' });
    expect(updates).toEqual([]);
  });

  test('the background answer is stored and announced, but this page keeps its builds (no mixed versions)', async () => {
    await storeFor('alice', ALICE_OLD, 100);
    controlPlane(server, () => json(ALICE, '"r7"'));
    const finch = client();
    const update = next(finch, 'update');
    await finch.login('alice');
    expect(await update).toEqual(ALICE);
    expect(((await db.get(manifestKey('alice'))) as StoredManifest).etag).toBe('"r7"');
    expect(finch.resource('dashboard')?.resourceId).toBe(40);
  });
});

describe('network first when the stored manifest is old', () => {
  test('older than ttlSeconds: the network answer wins', async () => {
    await storeFor('alice', ALICE_OLD, 301);
    const cp = controlPlane(server, () => json(ALICE));
    const finch = client();
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'network' });
    expect(cp.calls[0]!.ifNoneMatch).toBe('"old"');
    expect(finch.resource('dashboard')?.resourceId).toBe(42);
  });

  test('304 on the network-first path keeps the stored manifest and renews it', async () => {
    await storeFor('alice', ALICE, 301);
    controlPlane(server, () => new HttpResponse(null, { status: 304 }));
    const finch = client();
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'network' });
    expect(finch.resource('dashboard')?.resourceId).toBe(42);
    expect(((await db.get(manifestKey('alice'))) as StoredManifest).storedAt).toBe(T0);
  });

  test('control plane down, no answer within timeoutMs: the stored manifest is used, a timeout error fires', async () => {
    await storeFor('alice', ALICE, 3600);
    controlPlane(server, async () => {
      await delay('infinite');
      return json(ALICE_OLD);
    });
    const finch = client({ timeoutMs: 50 });
    const errors = collect(finch, 'error');
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'stale' });
    expect(finch.resource('dashboard')?.resourceId).toBe(42);
    expect(errors.map((e) => e.code)).toEqual(['timeout']);
  });

  test('a stored manifest older than maxStaleSeconds is not used', async () => {
    await storeFor('alice', ALICE, 3600);
    controlPlane(server, () => HttpResponse.error());
    const finch = client({ maxStaleSeconds: 3599 });
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'none' });
    expect(finch.resource('dashboard')).toBeNull();
  });

  test('a stored manifest that no longer passes validation is ignored', async () => {
    await db.set(manifestKey('alice'), { manifest: { ...ALICE, products: { dashboard: { ...ALICE.products.dashboard, baseUrl: '//evil.test/' } } }, storedAt: clock, etag: null });
    const cp = controlPlane(server, () => json(ALICE_OLD));
    const finch = client();
    await finch.login('alice');
    expect(cp.calls).toHaveLength(1);
    expect(finch.resource('dashboard')?.resourceId).toBe(40);
  });
});

describe('bad answers (a corrupt manifest) are refused whole', () => {
  const answers: [string, () => Response, string][] = [
    ['503', () => new HttpResponse('oops', { status: 503 }), 'network-error'],
    ['network error', () => HttpResponse.error(), 'network-error'],
    ['truncated JSON', () => new HttpResponse('{"schema":1,"userId":"alice","prod', { headers: { 'content-type': 'application/json' } }), 'invalid-manifest'],
    ['HTML instead of JSON', () => new HttpResponse('<!doctype html><p>login', { headers: { 'content-type': 'text/html' } }), 'invalid-manifest'],
    ['wrong types', () => json({ ...ALICE, revision: '8' }), 'invalid-manifest'],
    ['files not an array', () => json({ ...ALICE, products: { dashboard: { ...ALICE.products.dashboard, files: 'main.js' } } }), 'invalid-manifest'],
    ['unknown schema', () => json({ ...ALICE, schema: 2 }), 'unsupported-schema'],
    ['not an object', () => json([ALICE]), 'invalid-manifest'],
  ];
  test.each(answers)('%s: stored manifest untouched, error event, login goes on with it', async (_name, answer, code) => {
    const before = await storeFor('alice', ALICE_OLD, 400);
    controlPlane(server, answer);
    const finch = client();
    const errors = collect(finch, 'error');
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect(await ready).toEqual({ userId: 'alice', source: 'stale' });
    expect(errors.map((e) => e.code)).toEqual([code]);
    expect(await db.get(manifestKey('alice'))).toEqual(before);
    expect(finch.resource('dashboard')).toEqual(ALICE_OLD.products.dashboard);
  });
});

describe('unsafe URLs are refused whole', () => {
  const dash = ALICE.products.dashboard!;
  const payloads: [string, unknown][] = [
    ['baseUrl ../', { ...dash, baseUrl: '/releases/../admin/' }],
    ['baseUrl %2e%2e', { ...dash, baseUrl: '/releases/%2e%2e/admin/' }],
    ['baseUrl %2f', { ...dash, baseUrl: '/releases/a%2fb/' }],
    ['baseUrl backslash', { ...dash, baseUrl: '/releases\\..\\admin/' }],
    ['baseUrl //evil.test', { ...dash, baseUrl: '//evil.test/x/' }],
    ['baseUrl foreign origin', { ...dash, baseUrl: 'https://evil.test/x/' }],
    ['baseUrl javascript:', { ...dash, baseUrl: 'javascript:alert(1)//' }],
    ['baseUrl data:', { ...dash, baseUrl: 'data:text/javascript,alert(1)//' }],
    ['file ../', { ...dash, files: ['../../admin/main.js'] }],
    ['file %2e%2e', { ...dash, files: ['%2e%2e/main.js'] }],
    ['file %2F', { ...dash, files: ['a%2Fb.js'] }],
    ['file absolute', { ...dash, files: ['/admin/main.js'] }],
    ['file javascript:', { ...dash, files: ['javascript:alert(1)'] }],
    ['file backslash', { ...dash, files: ['..\\main.js'] }],
    ['integrity key traversal', { ...dash, integrity: { '../x.js': 'sha384-AAAA' } }],
    ['dependency foreign origin', { ...dash, dependencies: ['https://evil.test/react.js'] }],
    ['fallback baseUrl //evil', { ...dash, fallback: { ...dash.fallback, baseUrl: '//evil.test/' } }],
  ];
  test.each(payloads)('%s', async (_name, bad) => {
    const before = await storeFor('alice', ALICE_OLD, 400);
    controlPlane(server, () => json({ ...ALICE, products: { dashboard: bad } }));
    const finch = client();
    const errors = collect(finch, 'error');
    await finch.login('alice');
    expect(errors.map((e) => e.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^(unsafe-url|invalid-manifest)$/)]));
    expect(errors).toHaveLength(1);
    expect(await db.get(manifestKey('alice'))).toEqual(before);
    expect(finch.resource('dashboard')).toEqual(ALICE_OLD.products.dashboard);
  });

  test('the endpoint origin and assetOrigins are allowed, nothing else', async () => {
    const cdn = { ...entry('dashboard', 42, '2.0.0'), baseUrl: 'https://cdn.example.com/dashboard/42/' };
    controlPlane(server, () => json(manifest('alice', { dashboard: cdn })));
    const refused = client();
    const errors = collect(refused, 'error');
    await refused.login('alice');
    expect(errors.map((e) => e.code)).toEqual(['unsafe-url']);
    expect(refused.resource('dashboard')).toBeNull();

    const allowed = client({ assetOrigins: ['https://cdn.example.com'] });
    await allowed.login('alice');
    expect(allowed.resource('dashboard')?.baseUrl).toBe('https://cdn.example.com/dashboard/42/');
  });
});

describe('user switch', () => {
  test("an answer for alice arriving after bob logged in is dropped: bob's manifest wins", async () => {
    const aliceAsked = gate();
    const aliceAnswer = gate();
    controlPlane(server, async ({ body }) => {
      if (body.userId === 'alice') {
        aliceAsked.open();
        await aliceAnswer.promise;
        return json(ALICE, '"alice"');
      }
      return json(BOB, '"bob"');
    });
    const finch = client({ timeoutMs: 5_000 });
    const updates = collect(finch, 'update');
    const hooked: (number | null)[] = [];
    finch.register('dashboard', (e) => hooked.push(e?.resourceId ?? null));
    const aliceLogin = finch.login('alice');
    await aliceAsked.promise;
    await finch.login('bob');
    aliceAnswer.open();
    await aliceLogin;
    expect(finch.resource('dashboard')).toEqual(BOB.products.dashboard);
    expect(hooked).toEqual([40]);
    expect(updates).toEqual([BOB]);
    expect(await db.get(manifestKey('alice'))).toBeUndefined();
    expect(await db.get(CURRENT_KEY)).toEqual({ userId: 'bob' });
  });

  test("logout clears that user's stored manifest and this page's builds", async () => {
    controlPlane(server, ({ body }) => json(body.userId === 'alice' ? ALICE : BOB));
    const finch = client();
    await finch.login('bob');
    await finch.logout();
    await finch.login('alice');
    const seen: (number | null)[] = [];
    finch.register('dashboard', (e) => seen.push(e?.resourceId ?? null));
    await finch.logout();
    expect(seen).toEqual([42, null]);
    expect(finch.resource('dashboard')).toBeNull();
    expect(await db.get(manifestKey('alice'))).toBeUndefined();
    expect(await db.get(CURRENT_KEY)).toEqual({ userId: null });
  });
});

describe('storage failure, no IndexedDB', () => {
  test('a store whose calls reject: memory takes over, login still works, one storage-error', async () => {
    const broken: FinchStore = {
      get: () => Promise.reject(new DOMException('gone', 'UnknownError')),
      set: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
      del: () => Promise.reject(new DOMException('gone', 'UnknownError')),
    };
    const cp = controlPlane(server, () => json(ALICE));
    const finch = client({ store: broken });
    const errors = collect(finch, 'error');
    await finch.login('alice');
    expect(finch.resource('dashboard')?.resourceId).toBe(42);
    expect(errors.map((e) => e.code)).toEqual(['storage-error']);
    // The memory store holds it now: a second login within ttl is served from it.
    const ready = next(finch, 'ready');
    await finch.login('alice');
    expect((await ready).source).toBe('cache');
    await finch.settled();
    expect(cp.calls).toHaveLength(2); // the first login, then the background refresh
  });

  test('no IndexedDB at all', async () => {
    // @ts-expect-error: the browser without IndexedDB
    delete globalThis.indexedDB;
    controlPlane(server, () => json(ALICE));
    const finch = client();
    const errors = collect(finch, 'error');
    await finch.login('alice');
    expect(finch.resource('dashboard')?.resourceId).toBe(42);
    expect(errors.map((e) => e.code)).toEqual(['storage-error']);
  });

  test('the store seam is used instead of IndexedDB', async () => {
    const mine = memoryStore();
    controlPlane(server, () => json(ALICE, '"m"'));
    await client({ store: mine }).login('alice');
    expect(await mine.get(manifestKey('alice'))).toEqual({ manifest: ALICE, storedAt: T0, etag: '"m"' });
    expect(await db.get(manifestKey('alice'))).toBeUndefined();
  });
});

test('the request goes to the endpoint given, trailing slash or not', async () => {
  let hits = 0;
  server.use(http.post('https://gray.example.com/v1/console-version', () => (hits++, json(ALICE))));
  await client({ endpoint: 'https://gray.example.com/v1/' }).login('alice');
  expect(hits).toBe(1);
});
