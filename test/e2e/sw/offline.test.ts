// Offline repeat visit (after a controlled visit, and after ONE first visit) and no service worker (no service worker) in Chromium.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chartVersion, manifestOf, open, openControlled, reload, shownVersion, startSite } from './site.js';
import type { Site } from './site.js';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site?.stop());

test('offline reload: a returning user\'s page renders entirely from the caches', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const context = await site.browser.newContext();
  try {
    const page = await openControlled(context, site.server.origin);
    expect(await chartVersion(page)).toBe('2.0.0');
    await context.setOffline(true);
    const seen = site.server.requests.length;
    await reload(page);
    expect(await page.getAttribute('body', 'data-via')).toBe('worker');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await chartVersion(page)).toBe('2.0.0');
    // Nothing reached the server: the page, the driver and both build files came from Cache Storage.
    expect(site.server.requests.slice(seen)).toEqual([]);
    // Being offline never turns the worker off (kill switch).
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(1);
  } finally {
    await context.close();
  }
});

test('offline after ONE online visit with the real SDK: no online reload, the same versions render, lazy chunk included', async () => {
  // Its own site, as this test stops the server; nothing in Chromium's HTTP cache, so only the worker's
  // caches can answer offline.
  const own = await startSite({ cacheControl: () => 'no-store' });
  const context = await own.browser.newContext();
  try {
    const builds = [await own.writeBuild(1, '1.0.0'), await own.writeBuild(2, '2.0.0')];
    // As `finch publish` registers them: entry files in `files`, every file of the build in `integrity`.
    for (const b of builds) {
      const dir = b.baseUrl.slice(1);
      b.integrity = { 'main.js': await own.sri(dir + 'main.js'), 'chunk.js': await own.sri(dir + 'chunk.js') };
    }
    own.manifest = manifestOf(builds[1]!, builds[0]);
    const page = await open(context, own.server.origin, '/sdk.html');
    // The first visit: nothing controlled the page, the SDK loaded the build straight from its baseUrl.
    expect(await page.getAttribute('body', 'data-via')).toBe('direct');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(own.server.requests).toContain('/releases/dashboard/2/main.js');
    // The worker controls the page only after its install, which warmed the caches; no page ever posted
    // it a manifest (the SDK's post went out before there was a controller): it read the SDK's IndexedDB.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // The lazy chunks nobody clicked for, and the fallback build, were fetched by the worker.
    expect(own.server.requests).toEqual(expect.arrayContaining(['/releases/dashboard/2/chunk.js', '/releases/dashboard/1/main.js', '/releases/dashboard/1/chunk.js']));

    await context.setOffline(true);
    await own.server.close();
    // Still on the first page, with the worker stopped as browsers stop idle ones: the chunk's real URL
    // (relative to the main.js loaded from baseUrl) wakes it, and it answers from the cache.
    const cdp = await context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    expect(await chartVersion(page)).toBe('2.0.0');
    // The worker is alive and acknowledges.
    expect(await page.evaluate(ping)).toBe(true);
    const fromWorker: string[] = [];
    page.on('response', (r) => r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname));
    await reload(page);
    expect(await page.getAttribute('body', 'data-error')).toBeNull();
    expect(await page.getAttribute('body', 'data-via')).toBe('worker');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await chartVersion(page)).toBe('2.0.0');
    expect(await page.getAttribute('body', 'data-fallback')).toBeNull();
    expect(fromWorker).toEqual(expect.arrayContaining(['/sdk.html', '/finch.js', '/apps/dashboard/main.js', '/apps/dashboard/chunk.js']));
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(1);
  } finally {
    await context.close();
    await own.stop();
  }
});

/**
 * Runs in the page: a message the worker does not act on, answered by its ack. No clock of its own: a
 * worker that never answers fails the test at its timeout, however slow the machine is.
 */
function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data?.type === 'finch:ack');
    navigator.serviceWorker.controller!.postMessage({ type: 'finch:ping' }, [channel.port2]);
  });
}

test('No service worker: service workers blocked → the chosen build loads straight from baseUrl, no error', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const context = await site.browser.newContext({ serviceWorkers: 'block' });
  const errors: string[] = [];
  try {
    const page = await open(context, site.server.origin);
    page.on('pageerror', (error) => errors.push(String(error)));
    expect(await page.getAttribute('body', 'data-via')).toBe('direct');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await chartVersion(page)).toBe('2.0.0');
    expect(await page.getAttribute('body', 'data-error')).toBeNull();
    expect(await page.getAttribute('body', 'data-load-error')).toBeNull();
    expect(site.server.requests).toContain('/releases/dashboard/2/chunk.js');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
