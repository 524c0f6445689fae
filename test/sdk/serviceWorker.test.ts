// @vitest-environment happy-dom
// The page's side of the worker protocol: registration, manifest handed over and acknowledged before
// login resolves (only when a worker already controls the page: a page without a worker works the
// same), the kill switch, and fallbacks in both directions.
import { delay, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Manifest } from '../../core/manifest.js';
import type { PageToWorker, WorkerToPage } from '../../core/protocol.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import type { FinchOptions } from '../../sdk/types.js';
import { collect, controlPlane, gate, grayEntry, json, manifest, fakeHead, startFinch, urlOf } from './fixtures.js';
import type { TestFinch } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
  // @ts-expect-error: remove the fake again
  delete navigator.serviceWorker;
  // @ts-expect-error: and the fake Cache Storage
  delete globalThis.caches;
});
afterAll(() => server.close());

const M = manifest('alice', { dashboard: grayEntry('dashboard', 42, '2.0.0', 40) });

/** A ServiceWorkerContainer as far as the SDK touches it. */
function fakeWorker(opts: {
  controlled: boolean;
  ack?: 'yes' | 'never' | Promise<void>;
  installs?: 'never' | 'refused';
  firstInstall?: boolean;
  update?: () => Promise<undefined>;
}) {
  const posted: PageToWorker[] = [];
  const firstPost = gate<PageToWorker>();
  const messageListeners = new Set<(e: MessageEvent) => void>();
  const worker = {
    scriptURL: 'http://localhost:3000/finch-sw.js',
    state: 'activated',
    addEventListener() {},
    removeEventListener() {},
    postMessage(msg: PageToWorker, transfer: MessagePort[]) {
      posted.push(msg);
      firstPost.open(msg);
      const reply = () => transfer[0]!.postMessage({ type: 'finch:ack' } satisfies WorkerToPage);
      if (opts.ack === 'yes' || opts.ack === undefined) reply();
      else if (opts.ack instanceof Promise) void opts.ack.then(reply);
    },
  };
  const registration = {
    active: opts.firstInstall ? null : worker, waiting: null, installing: opts.firstInstall ? worker : null,
    addEventListener() {}, unregister: vi.fn(async () => true), update: vi.fn(opts.update ?? (async () => undefined)),
  };
  const install = () =>
    opts.installs === 'never' ? new Promise(() => {}) : opts.installs === 'refused' ? Promise.reject(new DOMException('refused', 'SecurityError')) : Promise.resolve(registration);
  const container = {
    controller: opts.controlled ? worker : null,
    register: vi.fn((_url: string, _o: RegistrationOptions) => install()),
    getRegistration: vi.fn(async () => registration),
    addEventListener: (type: string, l: (e: MessageEvent) => void) => type === 'message' && messageListeners.add(l),
    removeEventListener() {},
  };
  Object.defineProperty(navigator, 'serviceWorker', { value: container, configurable: true });
  const send = (data: WorkerToPage) => messageListeners.forEach((l) => l(new MessageEvent('message', { data })));
  return { posted, firstPost: firstPost.promise, container, registration, send };
}

const head = fakeHead();
const urls = head.urls;

// Clients of finished tests would still retry on their back-off timers into the next test's handlers.
const clients: TestFinch[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout()));
});
const client = (extra: Partial<FinchOptions> = {}) => {
  const c = startFinch({ endpoint: '/api/v1', products: ['dashboard'], serviceWorker: '/finch-sw.js', store: memoryStore(), timeoutMs: 5_000, ...extra }, head.insert);
  clients.push(c);
  return c;
};

describe('handing the manifest over', () => {
  test('controlled page: login resolves only after the worker acknowledged; assets use virtual URLs', async () => {
    controlPlane(server, () => json(M));
    const ack = gate();
    const sw = fakeWorker({ controlled: true, ack: ack.promise });
    const finch = client();
    let resolved = false;
    const login = finch.login('alice').then(() => (resolved = true));
    await sw.firstPost;
    expect(resolved).toBe(false);
    // Acknowledged only now: the virtual URLs below show that login waited for it.
    ack.open();
    await login;
    expect(sw.posted).toEqual([{ type: 'finch:manifest', manifest: M, pin: true }]);
    expect(sw.container.register).toHaveBeenCalledWith('/finch-sw.js', { scope: '/', updateViaCache: 'none' });
    await finch.load('dashboard');
    expect(urls()).toEqual(['/apps/dashboard/main.css', '/apps/dashboard/main.js']);
  });

  test('a stuck worker is avoided: an installed worker is asked to update on every page load; a first install is not', async () => {
    controlPlane(server, () => json(M));
    const sw = fakeWorker({ controlled: true });
    const finch = client();
    await finch.login('alice');
    await finch.settled();
    expect(sw.registration.update).toHaveBeenCalledTimes(1);
    const first = fakeWorker({ controlled: false, firstInstall: true });
    const firstVisit = client();
    await firstVisit.login('alice');
    await firstVisit.settled();
    expect(first.container.register).toHaveBeenCalledTimes(1);
    expect(first.registration.update).not.toHaveBeenCalled();
  });

  test('an update check while offline is no error; online, a failed one is worker-unavailable', async () => {
    controlPlane(server, () => json(M));
    const failing = async (): Promise<undefined> => {
      throw new TypeError('Failed to update a ServiceWorker: An unknown error occurred when fetching the script.');
    };
    const offline = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    fakeWorker({ controlled: true, update: failing });
    const away = client();
    const awayErrors = collect(away, 'error');
    await away.login('alice');
    await away.settled();
    expect(awayErrors).toEqual([]);

    offline.mockReturnValue(true);
    const sw = fakeWorker({ controlled: true, update: failing });
    const online = client();
    const errors = collect(online, 'error');
    await online.login('alice');
    await online.settled();
    expect(sw.registration.update).toHaveBeenCalledTimes(1);
    expect(errors.map((e) => [e.code, (e.details.cause as Error).name])).toEqual([['worker-unavailable', 'TypeError']]);
  });

  test('a refused registration is worker-unavailable, with a message; builds load from their baseUrl', async () => {
    controlPlane(server, () => json(M));
    fakeWorker({ controlled: false, installs: 'refused' });
    const finch = client();
    const errors = collect(finch, 'error');
    await finch.login('alice');
    await finch.settled();
    expect(errors.map((e) => [e.code, e.details.url, (e.details.cause as DOMException).name])).toEqual([['worker-unavailable', '/finch-sw.js', 'SecurityError']]);
    expect(errors[0]!.message).toMatch(/^Failed to register or update the service worker \/finch-sw\.js: .*SecurityError.*refused/);
    await finch.load('dashboard');
    expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
  });

  test('custom assetPrefix', async () => {
    controlPlane(server, () => json(M));
    fakeWorker({ controlled: true });
    const finch = client({ assetPrefix: '/mf/' });
    await finch.login('alice');
    await finch.load('dashboard');
    expect(urls()).toEqual(['/mf/dashboard/main.css', '/mf/dashboard/main.js']);
  });

  test('first visit (no controller): nothing waits for the install, assets load from baseUrl', async () => {
    controlPlane(server, () => json(M));
    const sw = fakeWorker({ controlled: false, installs: 'never' });
    const finch = client();
    await finch.login('alice');
    expect(sw.posted).toEqual([]);
    expect(sw.container.register).toHaveBeenCalledTimes(1);
    await finch.load('dashboard');
    expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
  });

  test('a controller that never acknowledges: login goes on after timeoutMs, direct URLs', async () => {
    controlPlane(server, () => json(M));
    fakeWorker({ controlled: true, ack: 'never' });
    const finch = client({ timeoutMs: 50 });
    await finch.login('alice');
    await finch.load('dashboard');
    expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
  });

  test('no navigator.serviceWorker (insecure context, blocked): works, direct URLs', async () => {
    controlPlane(server, () => json(M));
    const finch = client();
    await finch.login('alice');
    await finch.load('dashboard');
    expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
  });

  test('no serviceWorker option: a worker is neither registered nor told anything', async () => {
    controlPlane(server, () => json(M));
    const sw = fakeWorker({ controlled: true });
    await client({ serviceWorker: undefined }).login('alice');
    expect(sw.posted).toEqual([]);
    expect(sw.container.register).not.toHaveBeenCalled();
  });

  test('refresh hands over with pin: false; logout with a null manifest and pin: true', async () => {
    controlPlane(server, () => json(M));
    const sw = fakeWorker({ controlled: true });
    const finch = client();
    await finch.login('alice');
    await finch.refresh();
    await finch.logout();
    expect(sw.posted.map((m) => (m.type === 'finch:manifest' ? [m.manifest?.userId ?? null, m.pin] : m.type))).toEqual([
      ['alice', true],
      ['alice', false],
      [null, true],
    ]);
  });
});

describe('kill switch', () => {
  test('serviceWorker.enabled false: finch:off, registration removed, finch-* caches cleared, nothing registered', async () => {
    const off: Manifest = { ...M, serviceWorker: { enabled: false } };
    controlPlane(server, () => json(off));
    const sw = fakeWorker({ controlled: true });
    const deleted: string[] = [];
    Object.defineProperty(globalThis, 'caches', {
      value: { keys: async () => ['finch-assets', 'app-shell', 'finch-shell'], delete: async (k: string) => deleted.push(k) },
      configurable: true,
    });
    const finch = client();
    await finch.login('alice');
    expect(sw.posted).toEqual([{ type: 'finch:off' }]);
    await finch.settled();
    expect(sw.registration.unregister).toHaveBeenCalledTimes(1);
    expect(deleted).toEqual(['finch-assets', 'finch-shell']);
    expect(sw.container.register).not.toHaveBeenCalled();
    await finch.load('dashboard');
    expect(urls()).toEqual(['/releases/dashboard/42/main.css', '/releases/dashboard/42/main.js']);
  });

  test('a refresh saying off turns it off too', async () => {
    let enabled = true;
    controlPlane(server, () => json({ ...M, serviceWorker: { enabled } }));
    const sw = fakeWorker({ controlled: true });
    const finch = client();
    await finch.login('alice');
    enabled = false;
    await finch.refresh();
    expect(sw.posted.map((m) => m.type)).toEqual(['finch:manifest', 'finch:off', 'finch:manifest']);
    await finch.settled();
    expect(sw.registration.unregister).toHaveBeenCalledTimes(1);
  });

  const outages: [string, () => Response | Promise<Response>][] = [
    ['503', () => new HttpResponse(null, { status: 503 })],
    ['offline', () => HttpResponse.error()],
    ['timeout', async () => (await delay('infinite'), json(M))],
    ['corrupt', () => new HttpResponse('{"schema":1,"serviceWorker":{"enabled":fal', { headers: { 'content-type': 'application/json' } })],
  ];
  test.each(outages)('%s never turns the worker off', async (_name, answer) => {
    controlPlane(server, answer);
    const sw = fakeWorker({ controlled: true });
    const finch = client({ timeoutMs: 50 });
    await finch.login('alice');
    await finch.refresh();
    expect(sw.posted.map((m) => m.type)).toEqual(['finch:manifest']);
    expect(sw.registration.unregister).not.toHaveBeenCalled();
    expect(sw.container.register).toHaveBeenCalledTimes(1);
  });
});

describe('fallbacks', () => {
  test('the worker saw a gray file fail: fallback event, resource and hooks follow', async () => {
    controlPlane(server, () => json(M));
    const sw = fakeWorker({ controlled: true });
    // Earlier tests' clients still hold reports: send them off now, out of this test's sight.
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    dispatchEvent(new Event('pagehide'));
    beacon.mockClear();
    const finch = client();
    await finch.login('alice');
    const seen: (number | null)[] = [];
    finch.register('dashboard', (e) => seen.push(e?.resourceId ?? null));
    const fallbacks = collect(finch, 'fallback');
    // A message about another build (an older page's) changes nothing.
    sw.send({ type: 'finch:fallback', product: 'dashboard', resourceId: 7, fallbackResourceId: 40, reason: 'status', url: '/apps/dashboard/main.js' });
    expect(fallbacks).toEqual([]);
    sw.send({ type: 'finch:fallback', product: 'dashboard', resourceId: 42, fallbackResourceId: 40, reason: 'integrity', url: '/apps/dashboard/main.js' });
    expect(fallbacks.map((f) => [f.product, f.from.resourceId, f.to.resourceId, f.reason])).toEqual([['dashboard', 42, 40, 'integrity']]);
    expect(finch.resource('dashboard')?.resourceId).toBe(40);
    expect(seen).toEqual([42, 40]);
    // The worker reports what it detected; the page does not count it twice.
    dispatchEvent(new Event('pagehide'));
    const sent = beacon.mock.calls.flatMap(([, body]) => JSON.parse(body as string) as { kind: string; resourceId: number }[]);
    expect(sent.map((r) => [r.kind, r.resourceId])).toEqual([['exposure', 42], ['exposure', 40]]);
    // Already on the fallback: a repeat changes nothing, and it posts nothing back.
    sw.send({ type: 'finch:fallback', product: 'dashboard', resourceId: 42, fallbackResourceId: 40, reason: 'integrity', url: '/apps/dashboard/main.js' });
    expect(fallbacks).toHaveLength(1);
    expect(sw.posted.map((m) => m.type)).toEqual(['finch:manifest']);
  });

  test('the page saw a file fail: the worker is told, the fallback loads from its baseUrl', async () => {
    controlPlane(server, () => json(M));
    const sw = fakeWorker({ controlled: true });
    const finch = client();
    await finch.login('alice');
    head.failing.add('/apps/dashboard/main.js');
    await finch.load('dashboard');
    expect(sw.posted).toContainEqual({ type: 'finch:fallback', product: 'dashboard' });
    expect(urls()).toEqual(['/releases/dashboard/40/main.js']);
  });

  test('the worker switched first (its fallback bytes then fail the gray hash): the fallback still loads, once', async () => {
    const gray = grayEntry('dashboard', 42, '2.0.0', 40, { integrity: { 'main.js': 'sha384-AAAA' } });
    controlPlane(server, () => json(manifest('alice', { dashboard: gray })));
    const sw = fakeWorker({ controlled: true });
    const finch = client();
    await finch.login('alice');
    const fallbacks = collect(finch, 'fallback');
    const errors = collect(finch, 'error');
    head.failing.add('/apps/dashboard/main.js');
    // The worker's message arrives before the script's error event, as in a browser.
    head.insertWith((element) => {
      head.box.append(element);
      const url = urlOf(element);
      if (head.failing.has(url)) sw.send({ type: 'finch:fallback', product: 'dashboard', resourceId: 42, fallbackResourceId: 40, reason: 'status', url });
      queueMicrotask(() => element.dispatchEvent(new Event(head.failing.has(url) ? 'error' : 'load')));
    });
    await finch.load('dashboard');
    expect(fallbacks.map((f) => f.reason)).toEqual(['status']);
    expect(errors).toEqual([]);
    expect(urls()).toEqual(['/releases/dashboard/40/main.js']);
    expect(sw.posted.map((m) => m.type)).toEqual(['finch:manifest']);
  });

  test('logout while a product loads: nothing more is loaded, no error', async () => {
    controlPlane(server, () => json(M));
    fakeWorker({ controlled: false });
    const finch = client();
    await finch.login('alice');
    const errors = collect(finch, 'error');
    head.failing.add('/releases/dashboard/42/main.js');
    const loading = finch.load('dashboard');
    await finch.logout();
    await loading;
    expect(errors).toEqual([]);
  });
});
