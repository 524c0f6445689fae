// The demo in a real browser: what a person sees, read from the
// `data-finch-version` / `data-finch-chunk` attributes on screen, against `node demo/run.js`'s server.
// The tests share one demo server and run in order; the ones that change the server come last.
import { describe, expect, test } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { demoInBrowser } from './demoInBrowser.js';
import { operator } from './operator.js';

// The README's pictures. A test run writes them to .tmp/ so it never changes tracked files (fonts differ
// between machines); FINCH_DOCS_SCREENSHOTS=1 writes them to docs/.
const SCREENSHOTS_TO_DOCS = process.env['FINCH_DOCS_SCREENSHOTS'] === '1';
const SCREENSHOTS = fileURLToPath(new URL(SCREENSHOTS_TO_DOCS ? '../../../docs/' : '../../../.tmp/screenshots/', import.meta.url));
const VIEWPORT = { width: 1024, height: 640 };

const stage = demoInBrowser('finch-demo-e2e-');

/** A fresh profile: no worker, no IndexedDB, no caches. */
const freshContext = (): Promise<BrowserContext> => stage.freshContext({ viewport: VIEWPORT });

async function signIn(page: Page, userId: string, group?: string): Promise<void> {
  await page.goto(`${stage.demo.url}/`);
  await page.fill('input[name=userId]', userId);
  if (group !== undefined) await page.fill('input[name=group]', group);
  await page.click('form#login button[type=submit]');
}

/** The versions on screen once both micro-frontends are mounted. */
async function onScreen(page: Page): Promise<{ header: string | null; dashboard: string | null }> {
  const header = page.locator('[data-finch-product="header"]');
  const dashboard = page.locator('[data-finch-product="dashboard"]');
  await header.waitFor();
  await dashboard.waitFor();
  return {
    header: await header.getAttribute('data-finch-version'),
    dashboard: await dashboard.getAttribute('data-finch-version'),
  };
}

/** Clicks `#load-chart` and returns the version the lazy chunk on screen says it belongs to. */
async function loadChart(page: Page): Promise<string | null> {
  await page.click('#load-chart');
  const chunk = page.locator('[data-finch-chunk]');
  await chunk.waitFor();
  return chunk.getAttribute('data-finch-chunk');
}

/** Waits until the page's worker is active, then reloads so the worker controls the page. */
async function reloadUnderWorker(page: Page): Promise<void> {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await onScreen(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** A missing build: dashboard 2.0.0's main.js removed from the control plane's disk. */
async function deleteGrayDashboardMain(): Promise<void> {
  const gray = await (await operator(stage.demo.url)).resourceId('dashboard', '2.0.0');
  rmSync(join(stage.dataDir, 'releases', 'dashboard', String(gray), 'main.js'), { force: true });
}

/**
 * Until no registration is left. Two things remove it: the off worker once it activates, and the SDK's
 * own kill switch when the manifest says the worker is disabled. The second fires no `statechange` while
 * the page stays controlled, so this asks again rather than waiting for an event.
 */
async function workerRemoved(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), { timeout: 90_000 })
    .toBe(0);
}

/** Once the worker controls the page (the status bar then reads the same on every run). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.locator('#status-worker', { hasText: /^worker: controlling$/ }).waitFor();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

describe('the demo as a person sees it', () => {
  test('alice sees dashboard 2.0.0, and its chart chunk is 2.0.0', async () => {
    const page = await (await freshContext()).newPage();
    await signIn(page, 'alice');
    expect(await onScreen(page)).toEqual({ header: '1.0.0', dashboard: '2.0.0' });
    expect(await loadChart(page)).toBe('2.0.0');
    await screenshot(page, 'demo-alice.png');
  });

  test('bob sees dashboard 1.0.0, and its chart chunk is 1.0.0', async () => {
    const page = await (await freshContext()).newPage();
    await signIn(page, 'bob');
    expect(await onScreen(page)).toEqual({ header: '1.0.0', dashboard: '1.0.0' });
    expect(await loadChart(page)).toBe('1.0.0');
    await screenshot(page, 'demo-bob.png');
  });

  test('group beta sees header 1.1.0', async () => {
    const page = await (await freshContext()).newPage();
    await signIn(page, 'carol', 'beta');
    expect(await onScreen(page)).toEqual({ header: '1.1.0', dashboard: '1.0.0' });
    await screenshot(page, 'demo-beta.png');
  });

  test('offline: after a first visit, with the server stopped, a reload renders the same builds and the chunk', async () => {
    const page = await (await freshContext()).newPage();
    await signIn(page, 'alice', 'beta');
    expect(await onScreen(page)).toEqual({ header: '1.1.0', dashboard: '2.0.0' });
    // The chart is NOT loaded online: offline it can only come from what the worker pre-cached.
    // Wait until the worker controls the page and has cached the host's shell and both builds: every
    // file they name (the chart's chunk among them). One warming pass caches them one after another, so
    // a single file says nothing about the others.
    // page.waitForFunction does not await a promise its predicate returns (a promise is truthy), so the
    // check runs in page.evaluate, which does, until it holds.
    const warmedUp = (): Promise<boolean> => page.evaluate(async () => {
      type Entry = { baseUrl: string; integrity: Record<string, string> };
      const client = (window as unknown as { Finch: { client: { resource(p: string): Entry | null } } }).Finch.client;
      const entries = ['header', 'dashboard'].map((p) => client.resource(p));
      if (navigator.serviceWorker.controller === null || entries.includes(null)) return false;
      const shell = ['/', '/finch.js', '/host.js', '/host.css'].map((f) => new URL(f, location.href).href);
      const files = [...shell, ...(entries as Entry[]).flatMap((e) => Object.keys(e.integrity).map((f) => new URL(e.baseUrl + f, location.href).href))];
      return files.some((f) => f.endsWith('/chunks/chart.js'))
        && (await Promise.all(files.map((f) => caches.match(f)))).every((r) => r !== undefined);
    });
    await expect.poll(warmedUp, { timeout: 60_000, interval: 250 }).toBe(true);

    await stage.demo.stop();
    try {
      await page.reload();
      expect(await onScreen(page)).toEqual({ header: '1.1.0', dashboard: '2.0.0' });
      expect(await loadChart(page)).toBe('2.0.0');
    } finally {
      await stage.restart();
    }
  }, 120_000);
});

describe('operators change things while pages are open', () => {
  test('mixed versions: after alice\'s strategy is turned off and her SDK refreshes, her open tab keeps 2.0 chunks; a new tab gets 1.0', async () => {
    const context = await freshContext();
    const tab = await context.newPage();
    await signIn(tab, 'alice');
    expect((await onScreen(tab)).dashboard).toBe('2.0.0');
    await reloadUnderWorker(tab);
    expect((await onScreen(tab)).dashboard).toBe('2.0.0');

    const ops = await operator(stage.demo.url);
    await ops.setStrategyStatus('dashboard', '2.0.0', 'off');
    try {
      await tab.evaluate(async () => {
        await (window as unknown as { Finch: { client: { refresh(): Promise<unknown> } } }).Finch.client.refresh();
      });
      expect(await loadChart(tab)).toBe('2.0.0');
      expect((await onScreen(tab)).dashboard).toBe('2.0.0');

      const newTab = await context.newPage();
      await newTab.goto(`${stage.demo.url}/`);
      expect((await onScreen(newTab)).dashboard).toBe('1.0.0');
      expect(await loadChart(newTab)).toBe('1.0.0');
    } finally {
      await ops.setStrategyStatus('dashboard', '2.0.0', 'gray');
    }
  }, 120_000);

  test('missing build without a worker: a file of the gray build is gone from disk; alice\'s dashboard falls back to 1.0.0', async () => {
    await deleteGrayDashboardMain();
    const page = await (await freshContext()).newPage();
    // First visit: no worker controls the page yet, so the SDK loads from baseUrl and falls back by itself.
    await signIn(page, 'alice');
    expect(await onScreen(page)).toEqual({ header: '1.0.0', dashboard: '1.0.0' });
    expect(await loadChart(page)).toBe('1.0.0');
  }, 120_000);

  test('missing build under the worker: the same missing file, on a page the worker controls, falls back to 1.0.0', async () => {
    await deleteGrayDashboardMain();
    // A new profile: nothing of 2.0.0 is cached anywhere.
    const page = await (await freshContext()).newPage();
    await signIn(page, 'alice');
    expect((await onScreen(page)).dashboard).toBe('1.0.0');
    await reloadUnderWorker(page);
    expect(await onScreen(page)).toEqual({ header: '1.0.0', dashboard: '1.0.0' });
    expect(await loadChart(page)).toBe('1.0.0');
  }, 120_000);

  test('kill switch: with FINCH_SW=off the worker removes itself and the next load is plain', async () => {
    const page = await (await freshContext()).newPage();
    await signIn(page, 'bob');
    await reloadUnderWorker(page);

    await stage.restart({ FINCH_SW: 'off' });
    await page.reload();
    expect(await onScreen(page)).toEqual({ header: '1.0.0', dashboard: '1.0.0' });
    // The manifest says the worker is off: the SDK unregisters it (and the off worker would, were it fetched).
    await workerRemoved(page);

    await page.reload();
    expect(await onScreen(page)).toEqual({ header: '1.0.0', dashboard: '1.0.0' });
    const state = await page.evaluate(async () => ({
      controlled: navigator.serviceWorker.controller !== null,
      registrations: (await navigator.serviceWorker.getRegistrations()).length,
      finchCaches: (await caches.keys()).filter((k) => k.startsWith('finch-')),
    }));
    expect(state).toEqual({ controlled: false, registrations: 0, finchCaches: [] });
    expect(await loadChart(page)).toBe('1.0.0');
  }, 120_000);
});
