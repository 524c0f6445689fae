// Offline repeat visit and R9 (no service worker) in Chromium.
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
    // Being offline never turns the worker off (R2).
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(1);
  } finally {
    await context.close();
  }
});

test('R9: service workers blocked → the chosen build loads straight from baseUrl, no error', async () => {
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
