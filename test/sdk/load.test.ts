// @vitest-environment happy-dom
// load(): dependencies once, then CSS and JS in manifest order with integrity; a failing file (a missing
// build, an integrity mismatch) switches the whole product to its fallback for this page.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import type { Manifest } from '../../core/manifest.js';
import { manifestKey } from '../../core/protocol.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import { collect, controlPlane, entry, grayEntry, json, manifest, fakeHead, startFinch, urlOf } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

const head = fakeHead();
const urls = head.urls;

async function loggedIn(m: Manifest) {
  controlPlane(server, () => json(m));
  const finch = startFinch({ endpoint: '/api/v1', products: Object.keys(m.products), store: memoryStore() }, head.insert);
  await finch.login('alice');
  return finch;
}

test('dependencies once and first, then CSS and JS in manifest order, with integrity and crossorigin', async () => {
  const finch = await loggedIn(
    manifest('alice', {
      dashboard: entry('dashboard', 42, '2.0.0', {
        dependencies: ['/shared/react.js'],
        files: ['main.css', 'main.js', 'vendor.mjs', 'logo.svg'],
        integrity: { 'main.js': 'sha384-AAAA', 'main.css': 'sha384-BBBB' },
      }),
      header: entry('header', 10, '1.0.0', { dependencies: ['/shared/react.js', '/shared/lit.mjs'], files: ['main.js'] }),
    }),
  );
  await Promise.all([finch.load('dashboard'), finch.load('header')]);
  const all = urls();
  expect([...all].sort()).toEqual(
    ['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js', '/releases/dashboard/42/vendor.mjs', '/releases/header/10/main.js', '/shared/lit.mjs', '/shared/react.js'].sort(),
  );
  const at = (u: string) => all.indexOf(u);
  expect(at('/shared/react.js')).toBeLessThan(at('/releases/dashboard/42/main.css'));
  expect(at('/shared/lit.mjs')).toBeLessThan(at('/releases/header/10/main.js'));
  expect(at('/shared/react.js')).toBeLessThan(at('/releases/header/10/main.js'));
  expect(at('/releases/dashboard/42/main.css')).toBeLessThan(at('/releases/dashboard/42/main.js'));
  expect(at('/releases/dashboard/42/main.js')).toBeLessThan(at('/releases/dashboard/42/vendor.mjs'));

  const el = (u: string) => [...head.box.children].find((e) => urlOf(e) === u)!;
  const attrs = (u: string) => Object.fromEntries([...el(u).attributes].map((a) => [a.name, a.value]));
  expect(el('/releases/dashboard/42/main.css').tagName).toBe('LINK');
  expect(attrs('/releases/dashboard/42/main.css')).toEqual({ rel: 'stylesheet', href: '/releases/dashboard/42/main.css', integrity: 'sha384-BBBB', crossorigin: 'anonymous' });
  expect(attrs('/releases/dashboard/42/main.js')).toEqual({ type: 'module', src: '/releases/dashboard/42/main.js', integrity: 'sha384-AAAA', crossorigin: 'anonymous' });
  expect(attrs('/releases/dashboard/42/vendor.mjs')).toEqual({ type: 'module', src: '/releases/dashboard/42/vendor.mjs' });
  expect((el('/releases/dashboard/42/vendor.mjs') as HTMLScriptElement).async).toBe(false);
  expect(attrs('/shared/react.js')).toEqual({ type: 'text/javascript', src: '/shared/react.js' });
  expect(attrs('/shared/lit.mjs')).toEqual({ type: 'module', src: '/shared/lit.mjs' });
});

test('load is once per product per page', async () => {
  const finch = await loggedIn(manifest('alice', { dashboard: entry('dashboard', 42, '2.0.0') }));
  await Promise.all([finch.load('dashboard'), finch.load('dashboard')]);
  await finch.load('dashboard');
  expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
});

test('load waits for a login in progress; with no login or no build it loads nothing', async () => {
  controlPlane(server, () => json(manifest('alice', { dashboard: entry('dashboard', 42, '2.0.0') })));
  const finch = startFinch({ endpoint: '/api/v1', products: ['dashboard', 'header'], store: memoryStore() }, head.insert);
  await finch.load('dashboard');
  expect(urls()).toEqual([]);
  const login = finch.login('alice');
  await finch.load('dashboard');
  expect(finch.resource('dashboard')?.resourceId).toBe(42);
  await login;
  await finch.load('header');
  expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
});

test('a failing gray file (a missing build): the whole product switches to its fallback for this page', async () => {
  const gray = grayEntry('dashboard', 42, '2.0.0', 40);
  const finch = await loggedIn(manifest('alice', { dashboard: gray }));
  const seen: (number | null)[] = [];
  finch.register('dashboard', (e) => seen.push(e?.resourceId ?? null));
  const fallbacks = collect(finch, 'fallback');
  const errors = collect(finch, 'error');
  head.failing.add('/releases/dashboard/42/main.js');
  await finch.load('dashboard');
  // The gray build's CSS is gone: never a mix of two builds.
  expect(urls()).toEqual(['/releases/dashboard/40/main.js']);
  const to = { ...gray, ...gray.fallback, status: 'full', fallback: undefined };
  expect(fallbacks).toEqual([{ product: 'dashboard', from: gray, to, reason: 'load', url: '/releases/dashboard/42/main.js' }]);
  expect(finch.resource('dashboard')).toEqual(to);
  expect(seen).toEqual([42, 40]);
  expect(errors).toEqual([]);
  // Still once per page: the fallback is what this page runs now.
  await finch.load('dashboard');
  expect(urls()).toEqual(['/releases/dashboard/40/main.js']);
});

test('an integrity failure (error event after a 200) is reported as such', async () => {
  const gray = grayEntry('dashboard', 42, '2.0.0', 40, { integrity: { 'main.js': 'sha384-AAAA' } });
  const finch = await loggedIn(manifest('alice', { dashboard: gray }));
  vi.spyOn(performance, 'getEntriesByName').mockImplementation((name) =>
    name === 'http://localhost:3000/releases/dashboard/42/main.js' ? ([{ responseStatus: 200 }] as unknown as PerformanceEntryList) : [],
  );
  const fallbacks = collect(finch, 'fallback');
  head.failing.add('/releases/dashboard/42/main.js');
  await finch.load('dashboard');
  expect(fallbacks.map((f) => f.reason)).toEqual(['integrity']);
});

test('a failing file with no fallback: error event, nothing left behind', async () => {
  const finch = await loggedIn(manifest('alice', { dashboard: entry('dashboard', 42, '2.0.0') }));
  const fallbacks = collect(finch, 'fallback');
  const errors = collect(finch, 'error');
  head.failing.add('/releases/dashboard/42/main.css');
  await finch.load('dashboard');
  expect(fallbacks).toEqual([]);
  expect(errors.map((e) => [e.code, e.details.url])).toEqual([['load-error', '/releases/dashboard/42/main.css']]);
  expect(urls()).toEqual([]);
  expect(finch.resource('dashboard')?.resourceId).toBe(42);
});

test('the fallback failing too: error event, load still resolves', async () => {
  const finch = await loggedIn(manifest('alice', { dashboard: grayEntry('dashboard', 42, '2.0.0', 40) }));
  const errors = collect(finch, 'error');
  head.failing.add('/releases/dashboard/42/main.js');
  head.failing.add('/releases/dashboard/40/main.js');
  await finch.load('dashboard');
  expect(errors.map((e) => [e.code, e.details.url])).toEqual([['load-error', '/releases/dashboard/40/main.js']]);
});

test('a failing dependency is an error event; the product still loads', async () => {
  const finch = await loggedIn(manifest('alice', { dashboard: entry('dashboard', 42, '2.0.0', { dependencies: ['/shared/react.js'] }) }));
  const errors = collect(finch, 'error');
  head.failing.add('/shared/react.js');
  await finch.load('dashboard');
  expect(errors.map((e) => [e.code, e.details.url])).toEqual([['load-error', '/shared/react.js']]);
  expect(urls()).toEqual(['/shared/react.js', '/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
});

test('a repeat visit mounts before it asks the control plane: the background refresh waits for the loads', async () => {
  const m = manifest('alice', { dashboard: entry('dashboard', 42, '2.0.0') });
  const store = memoryStore();
  await store.set(manifestKey('alice'), { manifest: m, storedAt: Date.now(), etag: '"r1"' });
  const asked: (string | null)[] = [];
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    asked.push((init.headers as Record<string, string>)['if-none-match'] ?? null);
    return json(m);
  });
  // Hold every file until the test lets it load.
  const held: Element[] = [];
  head.insertWith((element) => void held.push(element));
  // The exposure report goes out when the timers run; happy-dom's own sendBeacon would fetch it.
  vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const finch = startFinch({ endpoint: '/api/v1', products: ['dashboard'], store, fetch }, head.insert);
    finch.register('dashboard', () => void finch.load('dashboard'));
    await finch.login('alice');
    // Every timer the SDK set has fired and every promise it could settle has: only the held files remain.
    await vi.runAllTimersAsync();
    expect(held.map(urlOf)).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
    expect(asked).toEqual([]);
    for (const element of held) element.dispatchEvent(new Event('load'));
    await vi.runAllTimersAsync();
    await finch.settled();
    expect(asked).toEqual(['"r1"']);
  } finally {
    vi.useRealTimers();
  }
});
