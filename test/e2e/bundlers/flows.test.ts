// Real Vite and webpack builds of the fixture apps, published with `finch publish --dir <dist>` and
// nothing else, loaded by a host page that Vite bundled, in Chromium. The same flows for each bundler:
// who gets which build, repeat visits through the worker, an open tab across a change, offline.
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUNDLERS, buildHost } from './bundlers.js';
import { allCached, appVersion, CHUNK_COLOR, expectBuild, expectFilesFrom, expectThroughWorker, openChunk, openHost, openUnderWorker, reloadHost } from './hostPage.js';
import { grayForAlice, startStage, type Stage } from './stage.js';
import { testBed } from './testBed.js';

const { tempDir, freshContext } = testBed('finch-bundlers-');
let hostDir: string;

beforeAll(async () => {
  hostDir = await tempDir('host');
  await buildHost(hostDir);
});

describe.each(BUNDLERS)('$name, published with `finch publish --dir` alone', (bundler) => {
  const { product } = bundler;
  let stage: Stage;

  beforeAll(async () => {
    const dirs = { '1.0.0': await tempDir(`${product}-1`), '2.0.0': await tempDir(`${product}-2`) };
    // One after the other: two bundlers at once on a 2-core machine only make both slower.
    await bundler.build('1.0.0', dirs['1.0.0']);
    await bundler.build('2.0.0', dirs['2.0.0']);
    stage = await startStage(product, grayForAlice(dirs), hostDir);
  });

  afterAll(async () => {
    await stage?.stop();
  });

  test.each([
    ['alice', '2.0.0'],
    ['bob', '1.0.0'],
  ])('%s gets %s: the app, its lazy chunk, the chunk CSS and the image, all from that build\'s folder', async (userId, version) => {
    const own = (await stage.entryFor(userId)).baseUrl;
    // Without a worker (as on a first visit, which registers it only after the page loaded; blocked here
    // so it cannot claim the page halfway), the SDK loads from the build's own folder: the URLs say which.
    const page = await openHost(await freshContext({ serviceWorkers: 'block' }), stage.host.origin, userId, product);
    expect(await page.locator('body').getAttribute('data-via')).toBe('direct');
    await expectBuild(page, product, version, own);
    await expectFilesFrom(page, product, own);
  });

  test('a repeat visit goes through the worker: virtual URLs only, the stored manifest, the same build', async () => {
    const page = await openUnderWorker(await freshContext(), stage.host.origin, 'alice', product);
    await expectThroughWorker(page);
    await expectBuild(page, product, '2.0.0', `/apps/${product}/`);
    await expectFilesFrom(page, product, `/apps/${product}/`);
  });

  test('an open tab keeps its build after the gray is turned off; a new tab gets 1.0.0', async () => {
    const context = await freshContext();
    const tab = await openUnderWorker(context, stage.host.origin, 'alice', product);
    expect(await appVersion(tab, product)).toBe('2.0.0');

    await stage.operator.setStrategyStatus(product, '2.0.0', 'off');
    try {
      // The SDK hears of the change (stored, and handed to the worker for later navigations).
      await tab.evaluate(async () => {
        await (window as unknown as { finchHost: { finch: { refresh(): Promise<unknown> } } }).finchHost.finch.refresh();
      });
      // The chunk was never fetched in this tab: it still comes from the build the tab runs.
      expect(await openChunk(tab)).toEqual({ version: '2.0.0', color: CHUNK_COLOR });
      expect(await appVersion(tab, product)).toBe('2.0.0');

      const newTab = await openHost(context, stage.host.origin, 'alice', product);
      expect(await appVersion(newTab, product)).toBe('1.0.0');
      expect(await openChunk(newTab)).toEqual({ version: '1.0.0', color: CHUNK_COLOR });
    } finally {
      await stage.operator.setStrategyStatus(product, '2.0.0', 'gray');
    }
  });

  // Last: it stops the host server and the control plane.
  test('offline: with both servers stopped, a reload renders the bundled host, the app, its chunk and image', async () => {
    const page = await openUnderWorker(await freshContext(), stage.host.origin, 'alice', product);
    expect(await appVersion(page, product)).toBe('2.0.0');
    // The chunk is NOT opened online: offline it can only come from what the worker warmed. Wait until
    // the worker holds the host's shell (the page and Vite's hashed files) and every file of both builds.
    const shell = ['/', ...(await readdir(join(hostDir, 'assets'))).map((f) => `/assets/${f}`)];
    const entry = await stage.entryFor('alice');
    const builds = [entry, ...(entry.fallback ? [entry.fallback] : [])].flatMap((b) => Object.keys(b.integrity).map((f) => b.baseUrl + f));
    expect(builds.some((f) => extname(f) === '.png')).toBe(true);
    await expect.poll(() => allCached(page, [...shell, ...builds]), { timeout: 60_000, interval: 250 }).toBe(true);

    await stage.stop();
    await reloadHost(page);
    await expectBuild(page, product, '2.0.0', `/apps/${product}/`);
  });
});
