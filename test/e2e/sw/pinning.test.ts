// Mixed versions in Chromium: an open tab keeps its build after the strategy flips; a new tab gets the new one.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chartVersion, manifestOf, open, openControlled, shownVersion, startSite } from './site.js';
import type { Site } from './site.js';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site?.stop());

test('Mixed versions: tab A keeps loading 1.0 chunks after the flip, even after the worker restarts; a new tab gets 2.0', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v1);
  const context = await site.browser.newContext();
  try {
    const tabA = await openControlled(context, site.server.origin);
    expect(await shownVersion(tabA)).toBe('1.0.0');

    site.manifest = manifestOf(v2, v1, true, 2);
    const tabB = await open(context, site.server.origin);
    expect(await tabB.getAttribute('body', 'data-via')).toBe('worker');
    expect(await shownVersion(tabB)).toBe('2.0.0');
    expect(await chartVersion(tabB)).toBe('2.0.0');

    // Idle workers are stopped by the browser; the next one must find tab A's pins again.
    const cdp = await context.newCDPSession(tabA);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    expect(await chartVersion(tabA)).toBe('1.0.0');
    expect(await shownVersion(tabA)).toBe('1.0.0');
    // Both tabs went through the worker (virtual paths), not to /releases directly.
    expect(site.server.requests.filter((r) => r.startsWith('/releases/dashboard/1/chunk.js'))).toHaveLength(1);
  } finally {
    await context.close();
  }
});
