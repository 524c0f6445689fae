// Redirects, missing build, integrity in Chromium: a broken gray build never reaches the screen; the page shows its fallback.
import { writeFile, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startStaticServer } from '../harness/index.js';
import type { StaticServer } from '../harness/index.js';
import { chartVersion, manifestOf, open, openControlled, shownVersion, startSite } from './site.js';
import type { Site } from './site.js';

let site: Site;
let evil: StaticServer;
let context: BrowserContext | undefined;
beforeAll(async () => {
  site = await startSite();
  evil = await startStaticServer();
});
afterAll(async () => {
  await context?.close().catch(() => {});
  await evil?.close();
  await site?.stop();
});

async function fresh(): Promise<BrowserContext> {
  await context?.close();
  context = await site.browser.newContext();
  return context;
}

test('Missing build: the gray main.js answers 404 → dashboard 1.0.0 on screen, chunks too, and new tabs start on it', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v4 = await site.writeBuild(4, '4.0.0');
  site.manifest = manifestOf(v1);
  const page = await openControlled(await fresh(), site.server.origin);
  site.manifest = manifestOf(v4, v1);
  await site.remove('releases/dashboard/4/main.js');
  const tab = await open(context!, site.server.origin);
  expect(await tab.getAttribute('body', 'data-via')).toBe('worker');
  expect(await shownVersion(tab)).toBe('1.0.0');
  expect(await tab.getAttribute('body', 'data-fallback')).toBe('dashboard:status');
  expect(await chartVersion(tab)).toBe('1.0.0');
  // The gray build's chunk exists, but this page is on 1.0.0 for good: never a mix.
  expect(site.server.requests.filter((r) => r.startsWith('/releases/dashboard/4/chunk.js'))).toEqual([]);
  const before = site.server.requests.length;
  const next = await open(context!, site.server.origin);
  expect(await shownVersion(next)).toBe('1.0.0');
  expect(await next.getAttribute('body', 'data-fallback')).toBeNull();
  expect(site.server.requests.slice(before).filter((r) => r.startsWith('/releases/dashboard/4/'))).toEqual([]);
  await page.close();
});

test('Missing build: HTML where a script was asked (an SPA catch-all answering 200) → fallback', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v5 = await site.writeBuild(5, '5.0.0');
  site.server.routes.set('/releases/dashboard/5/main.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>app</title>');
  });
  site.manifest = manifestOf(v1);
  await openControlled(await fresh(), site.server.origin);
  site.manifest = manifestOf(v5, v1);
  const tab = await open(context!, site.server.origin);
  expect(await shownVersion(tab)).toBe('1.0.0');
  expect(await tab.getAttribute('body', 'data-fallback')).toBe('dashboard:content-type');
});

test('Integrity: one byte flipped on disk against the manifest hash → fallback, the flipped file never runs', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v6 = await site.writeBuild(6, '6.0.0');
  v6.integrity = { 'main.js': await site.sri('releases/dashboard/6/main.js') };
  const bytes = await readFile(site.file('releases/dashboard/6/main.js'));
  // "// dashboard 6.0.0" → "// dashboard 7.0.0": still valid JavaScript, so only the hash can catch it.
  bytes[13] = '7'.charCodeAt(0);
  await writeFile(site.file('releases/dashboard/6/main.js'), bytes);
  site.manifest = manifestOf(v1);
  await openControlled(await fresh(), site.server.origin);
  site.manifest = manifestOf(v6, v1);
  const tab = await open(context!, site.server.origin);
  expect(await shownVersion(tab)).toBe('1.0.0');
  expect(await tab.getAttribute('body', 'data-fallback')).toBe('dashboard:integrity');
});

test('Integrity control: the right bytes with their hash run as the gray build', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v8 = await site.writeBuild(8, '8.0.0');
  v8.integrity = { 'main.js': await site.sri('releases/dashboard/8/main.js') };
  site.manifest = manifestOf(v8, v1);
  const tab = await openControlled(await fresh(), site.server.origin);
  expect(await shownVersion(tab)).toBe('8.0.0');
  expect(await tab.getAttribute('body', 'data-fallback')).toBeNull();
});

test('Redirects: a rewritten fetch redirected to another origin is refused → fallback; the other origin sees nothing', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  site.server.routes.set('/moved/dashboard/9/main.js', (_req, res) => {
    res.writeHead(302, { location: `${evil.origin}/main.js` });
    res.end();
  });
  site.manifest = manifestOf(v1);
  await openControlled(await fresh(), site.server.origin);
  site.manifest = manifestOf({ resourceId: 9, version: '9.0.0', baseUrl: '/moved/dashboard/9/', files: ['main.js'], integrity: {} }, v1);
  const tab = await open(context!, site.server.origin);
  expect(await shownVersion(tab)).toBe('1.0.0');
  expect(await tab.getAttribute('body', 'data-fallback')).toBe('dashboard:redirect');
  expect(evil.requests).toEqual([]);
});

test('Redirects: a navigation to a virtual path is never answered with a build', async () => {
  const v1 = await site.writeBuild(1, '1.0.0');
  const v2 = await site.writeBuild(2, '2.0.0');
  site.manifest = manifestOf(v2, v1);
  const page = await openControlled(await fresh(), site.server.origin);
  expect(await shownVersion(page)).toBe('2.0.0');
  await page.goto(site.server.origin + '/apps/dashboard/main.js');
  expect(await page.textContent('body')).toContain('// dashboard stable');
});
