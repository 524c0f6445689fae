// A single-spa root config (test/fixtures/apps/single-spa-host, bundled by Vite) that hands the
// vite-react fixture to single-spa with `registerWithFinch`, in Chromium against real Vite builds
// published with `finch publish --dir`: who gets which build, the customProps reaching the build's
// mount, single-spa unmounting and remounting it as the route changes, and a repeat visit through the worker.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { buildHost, VITE_REACT } from './bundlers.js';
import { appVersion, CHUNK_COLOR, expectBuild, expectFilesFrom, expectThroughWorker, openChunk, openHost, openUnderWorker } from './hostPage.js';
import { grayForAlice, startStage, type Stage } from './stage.js';
import { testBed } from './testBed.js';

const { product } = VITE_REACT;
const { tempDir, freshContext } = testBed('finch-single-spa-');
let stage: Stage;

beforeAll(async () => {
  const hostDir = await tempDir('host');
  const dirs = { '1.0.0': await tempDir('1'), '2.0.0': await tempDir('2') };
  // One build after the other: on a 2-core machine parallel builds only make each slower.
  await buildHost(hostDir, 'single-spa-host');
  await VITE_REACT.build('1.0.0', dirs['1.0.0']);
  await VITE_REACT.build('2.0.0', dirs['2.0.0']);
  stage = await startStage(product, grayForAlice(dirs), hostDir);
}, 600_000);

afterAll(async () => {
  await stage?.stop();
});

/** What the host recorded the build's `mount` was called with (see recordMountProps in the host). */
async function mountProps(page: Page): Promise<unknown> {
  return JSON.parse((await page.locator('body').getAttribute('data-mount-props')) ?? 'null');
}

/** single-spa's own navigation, as the host's nav links do it. */
async function navigate(page: Page, url: string): Promise<void> {
  await page.evaluate((to) => (window as unknown as { finchHost: { navigate(url: string): void } }).finchHost.navigate(to), url);
}

test.each([
  ['alice', '2.0.0'],
  ['bob', '1.0.0'],
])('%s gets %s through single-spa: the app, its lazy chunk, the chunk CSS and the image, with the customProps', async (userId, version) => {
  const own = (await stage.entryFor(userId)).baseUrl;
  // No worker, so the URLs say which build's folder every file came from (as in flows.test.ts).
  const page = await openHost(await freshContext({ serviceWorkers: 'block' }), stage.host.origin, userId, product);
  expect(await page.locator('body').getAttribute('data-mounted')).toBe(`${product}@${version}`);
  await expectBuild(page, product, version, own);
  // single-spa's own `name` and the host's customProps, as the build's mount got them.
  expect(await mountProps(page)).toEqual({ name: product, userId, greeting: `Hello ${userId}` });
  await expectFilesFrom(page, product, own);
});

test('leaving the route unmounts the app; coming back mounts the same build again', async () => {
  const page = await openHost(await freshContext({ serviceWorkers: 'block' }), stage.host.origin, 'alice', product);
  const app = page.locator(`[data-app="${product}"]`);
  await expect.poll(() => app.count()).toBe(1);

  await navigate(page, '/elsewhere');
  await expect.poll(() => app.count()).toBe(0);
  // The host hears of it once single-spa's route change settled.
  await expect.poll(() => page.locator('body').getAttribute('data-mounted')).toBeNull();

  await navigate(page, '/');
  await page.waitForSelector('body[data-mounted]', { state: 'attached' });
  expect(await appVersion(page, product)).toBe('2.0.0');
  expect(await openChunk(page)).toEqual({ version: '2.0.0', color: CHUNK_COLOR });
});

test('a repeat visit goes through the worker: virtual URLs only, the stored manifest, the same build', async () => {
  const page = await openUnderWorker(await freshContext(), stage.host.origin, 'alice', product);
  await expectThroughWorker(page);
  await expectBuild(page, product, '2.0.0', `/apps/${product}/`);
  expect(await mountProps(page)).toEqual({ name: product, userId: 'alice', greeting: 'Hello alice' });
  await expectFilesFrom(page, product, `/apps/${product}/`);
});
