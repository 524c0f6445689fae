import 'fake-indexeddb/auto';
import { beforeEach, expect, test, vi } from 'vitest';
import { clear, set } from 'idb-keyval';
import { CURRENT_KEY, manifestKey } from '../../core/protocol.js';
import { installFinch } from '../../sw/installFinch.js';
import { openStore } from '../../sw/storage.js';
import { build, FakeCaches, manifest, net, ORIGIN } from './fakes.js';

type Scope = Parameters<typeof installFinch>[1];

/** A ServiceWorkerGlobalScope reduced to what installFinch touches. */
function fakeScope() {
  const listeners = new Map<string, (event: unknown) => void>();
  const scope = {
    listeners,
    fetched: [] as string[],
    unregistered: 0,
    skipped: 0,
    claimed: 0,
    location: new URL(ORIGIN + '/finch-sw.js'),
    caches: new FakeCaches(),
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    fetch: async (input: string | Request) => {
      const url = new URL(input instanceof Request ? input.url : input, ORIGIN).href;
      scope.fetched.push(url);
      return url.endsWith('/main.js') ? net('main of ' + url) : net('nope', { status: 404 });
    },
    skipWaiting: async () => void scope.skipped++,
    clients: { get: async () => undefined, matchAll: async () => [], claim: async () => void scope.claimed++ },
    registration: { unregister: async () => (scope.unregistered++, true) },
  };
  return scope;
}

function fetchEvent(path: string, clientId = 'A', mode?: RequestMode) {
  const request = new Request(new URL(path, ORIGIN));
  if (mode) Object.defineProperty(request, 'mode', { value: mode });
  const event = { request, clientId, resultingClientId: '', answer: undefined as Promise<Response> | undefined };
  return Object.assign(event, { respondWith: (p: Promise<Response>) => (event.answer = p) });
}

function messageEvent(data: unknown, clientId = 'A') {
  const acks: unknown[] = [];
  let done: Promise<unknown> = Promise.resolve();
  return {
    acks,
    settled: () => done,
    event: { data, source: { id: clientId }, ports: [{ postMessage: (m: unknown) => acks.push(m) }], waitUntil: (p: Promise<unknown>) => (done = p) },
  };
}

const store = openStore();
beforeEach(async () => {
  await clear(store);
  await set(CURRENT_KEY, { userId: 'alice' }, store);
  await set(manifestKey('alice'), { manifest: manifest(build(2, '2.0.0')), storedAt: 1, etag: null }, store);
});

test('until the stored state is read, sub-resources of build origins wait for it; navigations and other origins never', async () => {
  const scope = fakeScope();
  installFinch({ allowedOrigins: ['https://cdn.test'] }, scope as unknown as Scope);
  const fire = (path: string, mode?: RequestMode) => {
    const event = fetchEvent(path, 'A', mode);
    scope.listeners.get('fetch')!(event);
    return event.answer;
  };
  const owned = fire('/apps/dashboard/main.js');
  // A stopped worker woken by a page loading a build file by its real URL (offline: from the build cache).
  const direct = fire('/releases/header/10/main.js');
  const plain = fire('/static/app.js');
  const cdn = fire('https://cdn.test/lib.js');
  expect(fire('/about', 'navigate')).toBeUndefined();
  expect(fire('https://elsewhere.test/x.js')).toBeUndefined();
  expect(await (await owned!).text()).toBe(`main of ${ORIGIN}/releases/dashboard/2/main.js`);
  expect(await (await direct!).text()).toBe(`main of ${ORIGIN}/releases/header/10/main.js`);
  // Not Finch's: the page's own request, unchanged, once the state is known.
  expect((await plain!).status).toBe(404);
  expect((await cdn!).status).toBe(404);
  expect(scope.fetched).toEqual(expect.arrayContaining([`${ORIGIN}/static/app.js`, 'https://cdn.test/lib.js']));
  // Once loaded, what Finch does not own is not answered at all.
  expect(fire('/apps/billing/main.js')).toBeUndefined();
  expect(fire('/static/app.js')).toBeUndefined();
});

test('install skips waiting, activate claims (stuck worker); every message is acknowledged, even a refused one', async () => {
  const scope = fakeScope();
  installFinch({}, scope as unknown as Scope);
  const waits: Promise<unknown>[] = [];
  scope.listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => waits.push(p) });
  scope.listeners.get('activate')!({ waitUntil: (p: Promise<unknown>) => waits.push(p) });
  await Promise.all(waits);
  expect([scope.skipped, scope.claimed]).toEqual([1, 1]);
  const bad = messageEvent({ type: 'finch:manifest', manifest: { schema: 1 }, pin: true });
  scope.listeners.get('message')!(bad.event);
  await bad.settled();
  expect(bad.acks).toEqual([{ type: 'finch:ack' }]);
  const off = messageEvent({ type: 'finch:off' });
  scope.listeners.get('message')!(off.event);
  await off.settled();
  expect(off.acks).toEqual([{ type: 'finch:ack' }]);
  expect(scope.unregistered).toBe(1);
  const after = fetchEvent('/apps/dashboard/main.js');
  scope.listeners.get('fetch')!(after);
  expect(after.answer).toBeUndefined();
});

test('the ready-made worker precaches the shell files at install', async () => {
  const scope = fakeScope();
  installFinch({ shellFiles: ['/main.js'] }, scope as unknown as Scope);
  const waits: Promise<unknown>[] = [];
  scope.listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => waits.push(p) });
  await Promise.all(waits);
  expect([...scope.caches.map.get('finch-shell-v1')!.entries.keys()]).toEqual([ORIGIN + '/main.js']);
});

test('prefix shell entries are not pre-cached (their names are unknown at install), exact ones are', async () => {
  const scope = fakeScope();
  installFinch({ shellFiles: ['/main.js', '/assets/*'] }, scope as unknown as Scope);
  const waits: Promise<unknown>[] = [];
  scope.listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => waits.push(p) });
  await Promise.all(waits);
  expect([...scope.caches.map.get('finch-shell-v1')!.entries.keys()]).toEqual([ORIGIN + '/main.js']);
  expect(scope.fetched.filter((url) => !url.includes('/releases/'))).toEqual([ORIGIN + '/main.js']);
});

test('until the stored state is read, a navigation under a shell prefix waits like an exact shell file; others do not', async () => {
  const scope = fakeScope();
  installFinch({ shellFiles: ['/docs/*'] }, scope as unknown as Scope);
  const fire = (path: string) => {
    const event = fetchEvent(path, '', 'navigate');
    scope.listeners.get('fetch')!(event);
    return event.answer;
  };
  const docs = fire('/docs/intro');
  expect(fire('/about')).toBeUndefined();
  expect((await docs!).status).toBe(404);
  expect(scope.fetched).toContain(ORIGIN + '/docs/intro');
});

test('a shell prefix over the whole origin is refused when the worker starts', () => {
  expect(() => installFinch({ shellFiles: ['/', '/*'] }, fakeScope() as unknown as Scope)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
});

test('install warms every build of the manifest the SDK stored; a missing file never fails the install', async () => {
  await set(
    manifestKey('alice'),
    { manifest: manifest({ ...build(2, '2.0.0'), integrity: { 'lazy.js': 'sha384-AAAA' } }, build(1, '1.0.0')), storedAt: 1, etag: null },
    store,
  );
  const scope = fakeScope();
  installFinch({}, scope as unknown as Scope);
  const waits: Promise<unknown>[] = [];
  scope.listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => waits.push(p) });
  await Promise.all(waits);
  const builds = `${ORIGIN}/releases/`;
  expect([...scope.fetched].sort()).toEqual([`${builds}dashboard/1/main.js`, `${builds}dashboard/2/lazy.js`, `${builds}dashboard/2/main.js`, `${builds}header/10/main.js`]);
  expect([...scope.caches.map.get('finch-builds-v1')!.entries.keys()].sort()).toEqual([`${builds}dashboard/1/main.js`, `${builds}dashboard/2/main.js`, `${builds}header/10/main.js`]);
});

/** Holds every fetch of `scope` until `release()`: a network slower than anything the test waits for. */
function holdNetwork(scope: ReturnType<typeof fakeScope>): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const fetch = scope.fetch;
  scope.fetch = async (input) => {
    const response = fetch(input);
    await held;
    return response;
  };
  return release;
}

const cachedBuilds = (scope: ReturnType<typeof fakeScope>): string[] => [...(scope.caches.map.get('finch-builds-v1')?.entries.keys() ?? [])].sort();

test('a manifest by message is acknowledged and its event ends before the warming: a slow network never keeps the worker busy', async () => {
  await clear(store);
  const scope = fakeScope();
  const release = holdNetwork(scope);
  installFinch({}, scope as unknown as Scope);
  const m = messageEvent({ type: 'finch:manifest', manifest: manifest(build(3, '3.0.0')), pin: false });
  scope.listeners.get('message')!(m.event);
  // The event settles while the build files are still on their way.
  await m.settled();
  expect(m.acks).toEqual([{ type: 'finch:ack' }]);
  release();
  await vi.waitFor(() => expect(cachedBuilds(scope)).toEqual([`${ORIGIN}/releases/dashboard/3/main.js`, `${ORIGIN}/releases/header/10/main.js`]));
});

test('an update installs without waiting for the network: it shares the caches its predecessor filled, and warms them after', async () => {
  const scope = fakeScope();
  await scope.caches.open('finch-builds-v1');
  await scope.caches.open('finch-shell-v1');
  const release = holdNetwork(scope);
  installFinch({ shellFiles: ['/main.js'] }, scope as unknown as Scope);
  const waits: Promise<unknown>[] = [];
  scope.listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => waits.push(p) });
  // Settles while every fetch is held: the new worker can take over at once.
  await Promise.all(waits);
  expect(scope.skipped).toBe(1);
  release();
  await vi.waitFor(() => expect(cachedBuilds(scope)).toEqual([`${ORIGIN}/releases/dashboard/2/main.js`, `${ORIGIN}/releases/header/10/main.js`]));
});

test('a first install waits for the warming: the worker controls no page before the next visit can load offline', async () => {
  const scope = fakeScope();
  const release = holdNetwork(scope);
  installFinch({}, scope as unknown as Scope);
  let installed = false;
  scope.listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => void p.then(() => (installed = true)) });
  await vi.waitFor(() => expect(scope.fetched).not.toEqual([]));
  expect(installed).toBe(false);
  release();
  await vi.waitFor(() => expect(installed).toBe(true));
  expect(cachedBuilds(scope)).toEqual([`${ORIGIN}/releases/dashboard/2/main.js`, `${ORIGIN}/releases/header/10/main.js`]);
});
