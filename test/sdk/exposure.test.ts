// @vitest-environment happy-dom
// Exposure: the first use of a product's build in a page is an event and a report; reports travel in
// batches to POST {endpoint}/reports and never disturb the page.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { REPORT_DELAY_MS } from '../../sdk/createReporter.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import { collect, controlPlane, entry, fakeHead, grayEntry, json, manifest, startFinch } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

const M = manifest('alice', { dashboard: grayEntry('dashboard', 42, '2.0.0', 40), header: entry('header', 10, '1.1.0') });
let beacons: { url: string; body: string }[];
let beaconAnswer: () => boolean;
beforeEach(() => {
  beacons = [];
  beaconAnswer = () => true;
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    beacons.push({ url: String(url), body: body as string });
    return beaconAnswer();
  });
});
const head = fakeHead();

async function setup(fetch?: (i: string, r: RequestInit) => Promise<Response>) {
  const cp = controlPlane(server, () => json(M));
  const finch = startFinch({ endpoint: '/api/v1', products: ['dashboard', 'header'], store: memoryStore(), ...(fetch && { fetch }) }, head.insert);
  await finch.login('alice');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  return { cp, finch };
}

test('first use by hook or load, once per build per page, sent together after REPORT_DELAY_MS', async () => {
  const { finch } = await setup();
  const exposures = collect(finch, 'exposure');
  finch.register('dashboard', () => {});
  finch.register('dashboard', () => {});
  finch.register('header', () => {});
  expect(exposures).toEqual([
    { product: 'dashboard', version: '2.0.0', resourceId: 42 },
    { product: 'header', version: '1.1.0', resourceId: 10 },
  ]);
  expect(beacons).toEqual([]);
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS - 1);
  expect(beacons).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(beacons).toHaveLength(1);
  expect(beacons[0]!.url).toBe('/api/v1/reports');
  expect(JSON.parse(beacons[0]!.body)).toEqual([
    { kind: 'exposure', product: 'dashboard', resourceId: 42 },
    { kind: 'exposure', product: 'header', resourceId: 10 },
  ]);
  const loading = finch.load('header');
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS * 2);
  await loading;
  expect(beacons).toHaveLength(1);
  expect(exposures).toHaveLength(2);
});

test('a fallback reports the failure and the fallback build exposure', async () => {
  const { finch } = await setup();
  head.failing.add('/releases/dashboard/42/main.js');
  const loading = finch.load('dashboard');
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS);
  await loading;
  expect(beacons.flatMap((b) => JSON.parse(b.body) as unknown[])).toEqual([
    { kind: 'load-error', product: 'dashboard', resourceId: 42, url: '/releases/dashboard/42/main.js' },
    { kind: 'exposure', product: 'dashboard', resourceId: 40 },
  ]);
});

test('a build\'s report token goes with its reports; the fallback build has none of its own', async () => {
  const tokened = manifest('alice', { dashboard: grayEntry('dashboard', 42, '2.0.0', 40, { reportToken: 'day.alice.sig' }), header: entry('header', 10, '1.1.0') });
  controlPlane(server, () => json(tokened));
  const finch = startFinch({ endpoint: '/api/v1', products: ['dashboard', 'header'], store: memoryStore() }, head.insert);
  await finch.login('alice');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  finch.register('header', () => {});
  finch.register('dashboard', () => {});
  head.failing.add('/releases/dashboard/42/main.js');
  const loading = finch.load('dashboard');
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS);
  await loading;
  expect(beacons.flatMap((b) => JSON.parse(b.body) as unknown[])).toEqual([
    { kind: 'exposure', product: 'header', resourceId: 10 },
    { kind: 'exposure', product: 'dashboard', resourceId: 42, token: 'day.alice.sig' },
    { kind: 'load-error', product: 'dashboard', resourceId: 42, url: '/releases/dashboard/42/main.js', token: 'day.alice.sig' },
    { kind: 'exposure', product: 'dashboard', resourceId: 40 },
  ]);
});

test('reports carry only what POST /reports accepts (its schema refuses other fields)', async () => {
  const { finch } = await setup();
  head.failing.add('/releases/dashboard/42/main.css').add('/releases/dashboard/42/main.js').add('/releases/dashboard/40/main.js');
  finch.register('header', () => {});
  const loading = finch.load('dashboard');
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS);
  await loading;
  const reports = beacons.flatMap((b) => JSON.parse(b.body) as Record<string, unknown>[]);
  expect(reports.map((r) => r.kind)).toEqual(['exposure', 'load-error']);
  for (const r of reports) {
    expect(['resourceId', 'product', 'kind', 'url', 'message', 'token']).toEqual(expect.arrayContaining(Object.keys(r)));
    expect(r).toMatchObject({ resourceId: expect.any(Number), product: expect.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/) });
  }
});

test('pagehide sends at once', async () => {
  const { finch } = await setup();
  finch.register('header', () => {});
  dispatchEvent(new Event('pagehide'));
  expect(beacons).toHaveLength(1);
});

test('no more than 100 reports per request; a product with no build is no exposure', async () => {
  const many = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, entry(`p${i}`, i + 1, '1.0.0')]));
  controlPlane(server, () => json(manifest('bob', many)));
  const big = startFinch({ endpoint: '/api/v1', products: Object.keys(many), store: memoryStore() });
  await big.login('bob');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  big.register('nope', () => {});
  for (const p of Object.keys(many)) big.register(p, () => {});
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS);
  expect(beacons.map((b) => (JSON.parse(b.body) as unknown[]).length)).toEqual([100, 50]);
});

test('sendBeacon refused or missing: fetch with keepalive; a failing report never disturbs the page', async () => {
  beaconAnswer = () => false;
  const sent: RequestInit[] = [];
  const failingFetch = vi.fn(async (url: string, init: RequestInit) => {
    if (url.endsWith('/reports')) {
      sent.push(init);
      throw new TypeError('Failed to fetch');
    }
    return fetch(url, init);
  });
  const { finch } = await setup(failingFetch);
  const errors = collect(finch, 'error');
  const unhandled = vi.fn();
  process.on('unhandledRejection', unhandled);
  finch.register('header', () => {});
  await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS);
  await finch.settled();
  // Node reports an unhandled rejection once the microtask queue is empty, before the next turn of the
  // event loop: by the time this immediate runs, a dropped report that escaped would have been reported.
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', unhandled);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ method: 'POST', keepalive: true });
  expect(JSON.parse(sent[0]!.body as string)).toEqual([{ kind: 'exposure', product: 'header', resourceId: 10 }]);
  expect(errors).toEqual([]);
  expect(unhandled).not.toHaveBeenCalled();
});

test('the real control plane receives the batch when sendBeacon is missing', async () => {
  vi.restoreAllMocks();
  const had = navigator.sendBeacon;
  // @ts-expect-error: a browser without sendBeacon
  navigator.sendBeacon = undefined;
  try {
    const { finch, cp } = await setup();
    finch.register('header', () => {});
    await vi.advanceTimersByTimeAsync(REPORT_DELAY_MS);
    vi.useRealTimers();
    await finch.settled();
    expect(cp.reports).toEqual([{ kind: 'exposure', product: 'header', resourceId: 10 }]);
  } finally {
    navigator.sendBeacon = had;
  }
});
