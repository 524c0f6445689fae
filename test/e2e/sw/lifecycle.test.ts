// Stuck worker (a new worker build takes over) and kill switch (the kill switch, and what must not trigger it) in Chromium.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DIST_WORKER } from '../harness/index.js';
import { chartVersion, manifestOf, openControlled, reload, shownVersion, startSite } from './site.js';
import type { Site } from './site.js';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site?.stop());

/** The build as a test sees it: a probe answering which bytes the controlling worker runs. */
async function workerBuild(n: number): Promise<string> {
  const probe = `self.addEventListener('message', (e) => { if (e.data === 'build?') e.ports[0].postMessage('build ${n}'); });\n`;
  return probe + (await readFile(DIST_WORKER, 'utf8'));
}

/** Which build the worker controlling the page runs; the page must be controlled. */
function askBuild(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => typeof e.data === 'string' && resolve(e.data);
        navigator.serviceWorker.controller!.postMessage('build?', [channel.port2]);
      }),
  );
}

/**
 * Resolves once a worker running `build` controls the page: the controller is asked now and again at each
 * `controllerchange`, never polled. A page that keeps messaging the old worker keeps it busy, and Chromium
 * hands control to a waiting worker only once the old one has gone idle.
 */
function controlledBy(page: Page, build: string): Promise<void> {
  return page.evaluate(
    (want) =>
      new Promise<void>((resolve) => {
        const sw = navigator.serviceWorker;
        const ask = (): void => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (e) => e.data === want && resolve();
          sw.controller?.postMessage('build?', [channel.port2]);
        };
        sw.addEventListener('controllerchange', ask);
        ask();
      }),
    build,
  );
}

test('Stuck worker: build 1 → load → build 2 → reload: the new worker takes over and the page still works', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const build1 = await workerBuild(1);
  site.server.worker = async () => build1;
  const context = await site.browser.newContext();
  try {
    // The real SDK: on every page load it asks an installed worker to check for a new build.
    const page = await openControlled(context, site.server.origin, '/sdk.html');
    expect(await askBuild(page)).toBe('build 1');
    const build2 = await workerBuild(2);
    site.server.worker = async () => build2;
    await reload(page);
    await controlledBy(page, 'build 2');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await chartVersion(page)).toBe('2.0.0');
    await reload(page);
    expect(await page.getAttribute('body', 'data-via')).toBe('worker');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await page.getAttribute('body', 'data-sdk-error')).toBeNull();
  } finally {
    await context.close();
    site.server.worker = () => readFile(DIST_WORKER);
  }
});

const finchState = (page: Page) =>
  page.evaluate(async () => ({
    controlled: navigator.serviceWorker.controller !== null,
    registrations: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).filter((name) => name.startsWith('finch-')).length,
  }));

test('Kill switch: serviceWorker.enabled false → caches cleared, worker gone, the next load is plain', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const context = await site.browser.newContext();
  try {
    const page = await openControlled(context, site.server.origin);
    expect(await finchState(page)).toMatchObject({ controlled: true, registrations: 1 });
    expect((await finchState(page)).caches).toBeGreaterThan(0);

    site.manifest = manifestOf(v2, v1, false);
    await reload(page);
    await reload(page);
    expect(await finchState(page)).toEqual({ controlled: false, registrations: 0, caches: 0 });
    expect(await page.getAttribute('body', 'data-via')).toBe('direct');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await chartVersion(page)).toBe('2.0.0');
  } finally {
    await context.close();
  }
});

test('Kill switch: a 503 for the manifest does not unregister; the page runs on the stored manifest under the worker', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const context = await site.browser.newContext();
  try {
    const page = await openControlled(context, site.server.origin);
    site.manifest = 503;
    await reload(page);
    await reload(page);
    expect(await page.getAttribute('body', 'data-via')).toBe('worker');
    expect(await shownVersion(page)).toBe('2.0.0');
    expect(await finchState(page)).toMatchObject({ controlled: true, registrations: 1 });
  } finally {
    await context.close();
  }
});
