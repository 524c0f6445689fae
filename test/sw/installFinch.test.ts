import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
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

function fetchEvent(path: string, clientId = 'A') {
  const event = { request: new Request(ORIGIN + path), clientId, resultingClientId: '', answer: undefined as Promise<Response> | undefined };
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

test('requests Finch may own wait for the stored state; others are never held', async () => {
  const scope = fakeScope();
  installFinch({}, scope as unknown as Scope);
  const owned = fetchEvent('/apps/dashboard/main.js');
  const other = fetchEvent('/static/app.js');
  scope.listeners.get('fetch')!(owned);
  scope.listeners.get('fetch')!(other);
  expect(other.answer).toBeUndefined();
  expect(await (await owned.answer!).text()).toBe(`main of ${ORIGIN}/releases/dashboard/2/main.js`);
  // Once loaded, a product without an entry is not answered at all.
  const unknown = fetchEvent('/apps/billing/main.js');
  scope.listeners.get('fetch')!(unknown);
  expect(unknown.answer).toBeUndefined();
});

test('install skips waiting, activate claims (R1); every message is acknowledged, even a refused one', async () => {
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
