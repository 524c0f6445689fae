// A qiankun main app (test/fixtures/apps/qiankun-host, bundled by Vite) that registers the app object
// of `qiankunApp`, in Chromium against real builds published with `finch publish --dir`: the vite-react
// fixture built as one classic script (qiankun runs scripts in its sandbox, never as modules) for
// 1.0.0 and 2.0.0, and the ordinary module build as 3.0.0, which the adapter must refuse and which the
// same host mounts as a single-spa parcel through Finch's own loading instead. The webpack-app fixture
// (a self-mounting classic webpack build) runs under qiankun too, on a stage of its own.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { buildHost, VITE_REACT, viteBuild, WEBPACK_APP } from './bundlers.js';
import { appVersion, CHUNK_COLOR, expectBuild, expectFilesFrom, loadedLogo, openChunk, openHost } from './hostPage.js';
import { grayForAlice, startStage, type Stage } from './stage.js';
import { testBed } from './testBed.js';

const { product } = VITE_REACT;
const { tempDir, freshContext } = testBed('finch-qiankun-');
let stage: Stage;
/** webpack-app 1.0.0 for everyone, behind the same host. */
let webpackStage: Stage;

/** vite-react's App behind an exported lifecycle, as one classic script (qiankun-host/app). */
async function buildClassic(version: string, outDir: string): Promise<void> {
  const run = await viteBuild('qiankun-host/app', outDir, { VITE_APP_VERSION: version });
  if (run.code !== 0) throw new Error(`classic vite build of vite-react ${version} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
}

beforeAll(async () => {
  const hostDir = await tempDir('host');
  const dirs = { '1.0.0': await tempDir('1'), '2.0.0': await tempDir('2') };
  const moduleDir = await tempDir('module');
  // One build after the other: on a 2-core machine parallel builds only make each slower.
  await buildHost(hostDir, 'qiankun-host');
  await buildClassic('1.0.0', dirs['1.0.0']);
  await buildClassic('2.0.0', dirs['2.0.0']);
  await VITE_REACT.build('3.0.0', moduleDir);
  stage = await startStage(product, [
    ...grayForAlice(dirs),
    { version: '3.0.0', dir: moduleDir, strategy: { status: 'gray', rule: { users: ['carol'] } } },
  ], hostDir);
  const webpackDir = await tempDir('webpack');
  await WEBPACK_APP.build('1.0.0', webpackDir);
  webpackStage = await startStage(WEBPACK_APP.product, [{ version: '1.0.0', dir: webpackDir, strategy: { status: 'full' } }], hostDir);
}, 600_000);

afterAll(async () => {
  await stage?.stop();
  await webpackStage?.stop();
});

test.each([
  ['alice', '2.0.0'],
  ['bob', '1.0.0'],
])('%s gets %s rendered by qiankun, with the host\'s props and the version Finch chose', async (userId, version) => {
  const page = await openHost(await freshContext(), stage.host.origin, userId, product);
  expect(await page.locator('body').getAttribute('data-mounted')).toBe(`${product}@${version}`);
  expect(await appVersion(page, product)).toBe(version);
  // The props reached the build's own mount: the host's greeting, and the version qiankunApp adds.
  const greeting = page.locator('.greeting');
  expect(await greeting.textContent()).toBe(`Hello ${userId}`);
  expect(await greeting.getAttribute('data-finch-version')).toBe(version);
  // A classic build inlines the lazy chunk and its CSS: still the same build, styled.
  expect(await openChunk(page)).toEqual({ version, color: CHUNK_COLOR });
  // qiankun fetched the build's script from the build's own folder.
  const own = (await stage.entryFor(userId)).baseUrl;
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js')));
  expect(scripts.filter((p) => p.startsWith(`/releases/${product}/`))).toEqual([expect.stringMatching(new RegExp(`^${own}assets/lifecycle-.+\\.js$`))]);
  // qiankun evaluates the script's text, so it has no current script: the image URL comes from the
  // build's folder that the adapter put on window.FinchBase, not from the host page.
  expect(await loadedLogo(page)).toMatch(new RegExp(`^${own}.+\\.png$`));
});

test('a webpack classic build under qiankun loads its lazy chunk, chunk CSS and image from its own folder', async () => {
  const page = await openHost(await freshContext(), webpackStage.host.origin, 'bob', WEBPACK_APP.product);
  expect(await page.locator('body').getAttribute('data-mounted')).toBe(`${WEBPACK_APP.product}@1.0.0`);
  // webpack's 'auto' public path finds no current script under qiankun; the adapter's window.FinchBase
  // gives it the build's folder, where the self-mounting entry's chunk, its CSS and the image are.
  const own = (await webpackStage.entryFor('bob')).baseUrl;
  await expectBuild(page, WEBPACK_APP.product, '1.0.0', own);
  await expectFilesFrom(page, WEBPACK_APP.product, own);
});

test('a module build is refused by the adapter with invalid-input, and qiankun never fetches it', async () => {
  const page = await (await freshContext()).newPage();
  await page.goto(`${stage.host.origin}/?user=carol&product=${product}`);
  const body = page.locator('body');
  await page.waitForSelector('body[data-error], body[data-mounted]', { state: 'attached' });
  // The production SDK's message is its code (development builds carry the long sentence).
  expect(await body.getAttribute('data-error')).toBe('invalid-input: invalid-input');
  expect(await body.getAttribute('data-mounted')).toBeNull();
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(fetched.filter((p) => p.startsWith(`/releases/${product}/`))).toEqual([]);
});

/** The host with `via=parcel`: single-spa's mountRootParcel of the SDK's lifecycles. */
async function openParcel(userId: string): Promise<Page> {
  const page = await (await freshContext()).newPage();
  await page.goto(`${stage.host.origin}/?user=${userId}&product=${product}&via=parcel`);
  await page.waitForSelector('body[data-mounted], body[data-error]', { state: 'attached' });
  expect(await page.locator('body').getAttribute('data-error')).toBeNull();
  return page;
}

test('the same module build mounts as a single-spa parcel, loaded by Finch: app, chunk, CSS, image', async () => {
  const page = await openParcel('carol');
  expect(await page.locator('body').getAttribute('data-mounted')).toBe(`${product}@3.0.0`);
  const own = (await stage.entryFor('carol')).baseUrl;
  await expectBuild(page, product, '3.0.0', own);
  await expectFilesFrom(page, product, own);
});

test("a classic build mounts as a parcel too, with the host's props and its image from its own folder", async () => {
  const page = await openParcel('alice');
  expect(await appVersion(page, product)).toBe('2.0.0');
  expect(await page.locator('.greeting').textContent()).toBe('Hello alice');
  const own = (await stage.entryFor('alice')).baseUrl;
  expect(await loadedLogo(page)).toMatch(new RegExp(`^${own}.+\\.png$`));
});
