// @vitest-environment happy-dom
// A lazy chunk or preload of a running gray build fails with no worker in the page: the product moves
// to its fallback as a failed entry file does (the `fallback` event, a report, the fallback's files),
// once per product per page, and only for a gray build with a fallback.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import type { Manifest } from '../../core/manifest.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import { collect, controlPlane, entry, fakeHead, grayEntry, json, manifest, next, ORIGIN, startFinch } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});
afterAll(() => server.close());

const head = fakeHead();
let reports: unknown[];
beforeEach(() => {
  reports = [];
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((_url, body) => (reports.push(...(JSON.parse(body as string) as unknown[])), true));
});
/** Sends the queued reports now, as a closing page does. */
const sentReports = (resourceIds: number[]) => {
  dispatchEvent(new Event('pagehide'));
  // Clients of earlier tests flush on pagehide too.
  return reports.filter((r) => resourceIds.includes((r as { resourceId: number }).resourceId));
};

// Ids of their own: clients of other tests in this file that still run a gray build never match them.
let nextId = 100;
async function running(products: (id: number) => Manifest['products']) {
  const id = (nextId += 10);
  const m = manifest('alice', products(id));
  controlPlane(server, () => json(m));
  const finch = startFinch({ endpoint: '/api/v1', products: Object.keys(m.products), store: memoryStore() }, head.insert);
  await finch.login('alice');
  for (const product in m.products) await finch.load(product);
  return { finch, id };
}

/**
 * A lazy `<script>` (or `<link>`, `<img>`) of the page that fails to load, as the browser reports it. The
 * URL is a property, not an attribute: happy-dom would try to fetch an element with a `src` itself.
 */
function failingChunk(src: string, tag = 'script'): void {
  const element = document.createElement(tag);
  Object.defineProperty(element, tag === 'link' ? 'href' : 'src', { value: src });
  document.body.append(element);
  element.dispatchEvent(new Event('error'));
}

/** What Vite's preload helper dispatches on `window` when a preload fails. */
function vitePreloadError(message: string): void {
  const event = Object.assign(new Event('vite:preloadError', { cancelable: true }), { payload: new Error(message) });
  dispatchEvent(event);
}

// The switch itself (event, report, hooks) happens while the failure is dispatched; only the fallback's
// files load later, and its exposure event says they did.

test('a lazy script of the gray build fails: fallback event, report, the fallback\'s files instead of the gray ones', async () => {
  const { finch, id } = await running((id) => ({ dashboard: grayEntry('dashboard', id, '2.0.0', id - 1) }));
  const fallbacks = collect(finch, 'fallback');
  const seen: (number | null)[] = [];
  finch.register('dashboard', (e) => seen.push(e?.resourceId ?? null));
  expect(head.urls()).toEqual([`/releases/dashboard/${id}/main.css`, `/releases/dashboard/${id}/main.js`]);
  const chunk = `${ORIGIN}/releases/dashboard/${id}/assets/chart-1a2b.js`;
  const exposed = next(finch, 'exposure');
  failingChunk(chunk);
  expect(await exposed).toEqual({ product: 'dashboard', version: '1.0.0', resourceId: id - 1 });
  expect(fallbacks.map((f) => [f.from.resourceId, f.to.resourceId, f.reason, f.url])).toEqual([[id, id - 1, 'load', chunk]]);
  expect(finch.resource('dashboard')?.resourceId).toBe(id - 1);
  expect(seen).toEqual([id, id - 1]);
  expect(head.urls()).toEqual([`/releases/dashboard/${id - 1}/main.js`]);
  expect(sentReports([id, id - 1])).toEqual([
    { kind: 'exposure', product: 'dashboard', resourceId: id },
    { kind: 'load-error', product: 'dashboard', resourceId: id, url: chunk },
    { kind: 'exposure', product: 'dashboard', resourceId: id - 1 },
  ]);
});

test('vite:preloadError naming a URL of the gray build: the same fallback', async () => {
  const { finch, id } = await running((id) => ({ dashboard: grayEntry('dashboard', id, '2.0.0', id - 1) }));
  const fallbacks = collect(finch, 'fallback');
  const message = `Unable to preload CSS for ${ORIGIN}/releases/dashboard/${id}/assets/chart.css`;
  const exposed = next(finch, 'exposure');
  vitePreloadError(message);
  await exposed;
  expect(fallbacks.map((f) => [f.to.resourceId, f.reason, f.url])).toEqual([[id - 1, 'load', `Error: ${message}`]]);
  expect(head.urls()).toEqual([`/releases/dashboard/${id - 1}/main.js`]);
});

test('a failing modulepreload <link> counts too', async () => {
  const { finch, id } = await running((id) => ({ dashboard: grayEntry('dashboard', id, '2.0.0', id - 1) }));
  const fallbacks = collect(finch, 'fallback');
  const exposed = next(finch, 'exposure');
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/assets/vendor.js`, 'link');
  expect(fallbacks).toHaveLength(1);
  await exposed;
});

test('once per product per page: a second failing chunk does nothing more', async () => {
  const { finch, id } = await running((id) => ({ dashboard: grayEntry('dashboard', id, '2.0.0', id - 1) }));
  const fallbacks = collect(finch, 'fallback');
  const exposed = next(finch, 'exposure');
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/assets/a.js`);
  await exposed;
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/assets/b.js`);
  vitePreloadError(`Failed to fetch dynamically imported module: ${ORIGIN}/releases/dashboard/${id}/assets/c.js`);
  expect(fallbacks).toHaveLength(1);
  expect(head.urls()).toEqual([`/releases/dashboard/${id - 1}/main.js`]);
  expect(sentReports([id]).filter((r) => (r as { kind: string }).kind === 'load-error')).toHaveLength(1);
});

test('only the product whose gray build the URL is under; other builds, full builds and other files are left alone', async () => {
  const { finch, id } = await running((id) => ({
    dashboard: grayEntry('dashboard', id, '2.0.0', id - 1),
    header: entry('header', id + 1, '1.0.0'),
    nav: grayEntry('nav', id + 2, '3.0.0', id + 3),
  }));
  const fallbacks = collect(finch, 'fallback');
  failingChunk(`${ORIGIN}/releases/header/${id + 1}/assets/a.js`); // a full build: nothing to fall back to
  failingChunk(`${ORIGIN}/releases/dashboard/${id}0/assets/a.js`); // another build whose id starts alike
  failingChunk(`${ORIGIN}/elsewhere/x.js`);
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/logo.png`, 'img'); // not a script or stylesheet
  vitePreloadError('Unable to preload CSS for /somewhere/else.css');
  expect(fallbacks).toEqual([]);
  const exposed = next(finch, 'exposure');
  failingChunk(`${ORIGIN}/releases/nav/${id + 2}/assets/menu.js`);
  await exposed;
  expect(fallbacks.map((f) => f.product)).toEqual(['nav']);
  expect(finch.resource('dashboard')?.resourceId).toBe(id);
});

test('after a logout the page has no build to undo: a late failing chunk of the old one does nothing', async () => {
  const { finch, id } = await running((id) => ({ dashboard: grayEntry('dashboard', id, '2.0.0', id - 1) }));
  const fallbacks = collect(finch, 'fallback');
  await finch.logout();
  const before = head.urls();
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/assets/late.js`);
  // The switch happens while the failure is dispatched (see above), so nothing can come later.
  expect(fallbacks).toEqual([]);
  expect(head.urls()).toEqual(before);
});

test('a gray build with no fallback: nothing happens', async () => {
  const { finch, id } = await running((id) => ({ dashboard: entry('dashboard', id, '2.0.0', { status: 'gray' }) }));
  const fallbacks = collect(finch, 'fallback');
  const errors = collect(finch, 'error');
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/assets/a.js`);
  expect([fallbacks, errors]).toEqual([[], []]);
  expect(head.urls()).toEqual([`/releases/dashboard/${id}/main.css`, `/releases/dashboard/${id}/main.js`]);
});

test('a product this page has not loaded is not watched', async () => {
  const id = (nextId += 10);
  controlPlane(server, () => json(manifest('alice', { dashboard: grayEntry('dashboard', id, '2.0.0', id - 1) })));
  const finch = startFinch({ endpoint: '/api/v1', products: ['dashboard'], store: memoryStore() }, head.insert);
  await finch.login('alice');
  const fallbacks = collect(finch, 'fallback');
  failingChunk(`${ORIGIN}/releases/dashboard/${id}/assets/a.js`);
  expect(fallbacks).toEqual([]);
  expect(finch.resource('dashboard')?.resourceId).toBe(id);
});
