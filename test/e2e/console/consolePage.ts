// What the console's browser tests share: a watched page in a fresh profile, signing in, the axe check,
// and screenshots at a wide and a narrow width. Every console page must log no errors and ask no other
// origin; `spotless` also demands that no API call was refused.
import { expect } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { DemoInBrowser } from '../demo/demoInBrowser.js';

// A test run writes the pictures to .tmp/ so it never changes tracked files (fonts differ between
// machines); FINCH_DOCS_SCREENSHOTS=1 writes them to docs/.
const SCREENSHOTS = fileURLToPath(new URL(process.env['FINCH_DOCS_SCREENSHOTS'] === '1' ? '../../../docs/' : '../../../.tmp/screenshots/', import.meta.url));
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

// How Chromium logs an API call the server refused.
const REFUSED = /^Failed to load resource: the server responded with a status of 4\d\d/;

export interface Watched {
  page: Page;
  /** Console errors and uncaught exceptions (CSP violations among them), refused calls apart. */
  errors: string[];
  /**
   * Refused API calls (the 401 before sign-in, a 409 or 412 the page explains): the page working, not
   * failing, but an operator's ordinary path makes none.
   */
  refused: string[];
  /** Requests to any origin but the demo's. */
  foreign: string[];
  /** Every script the page fetched, in order. */
  scripts: string[];
}

/** A page in a fresh profile at the wide size, in English, watched from its first request. */
export async function openConsolePage(stage: DemoInBrowser): Promise<Watched> {
  const context = await stage.freshContext({ viewport: WIDE, locale: 'en-US' });
  const page = await context.newPage();
  const w: Watched = { page, errors: [], refused: [], foreign: [], scripts: [] };
  const origin = new URL(stage.demo.url).origin;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    (REFUSED.test(m.text()) ? w.refused : w.errors).push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.origin !== origin) w.foreign.push(r.url());
    if (r.resourceType() === 'script') w.scripts.push(r.url());
  });
  return w;
}

export async function signInToConsole(stage: DemoInBrowser, page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto(`${stage.demo.url}/console/`);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** axe finds nothing serious or critical on what is on screen now. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export interface ScreenshotOptions {
  /** The whole page rather than the viewport. @default false */
  fullPage?: boolean;
  /** Also check that nothing sticks out sideways at the narrow width. @default false */
  fitsNarrow?: boolean;
}

/** `<name>.png` at the wide size and `<name>-narrow.png` at the narrow one; the page is left wide. */
export async function screenshots(page: Page, name: string, opts: ScreenshotOptions = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: opts.fullPage ?? false });
  await page.setViewportSize(NARROW);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-narrow.png`), fullPage: opts.fullPage ?? false });
  // A wide table must scroll inside its own box, not the page.
  if (opts.fitsNarrow) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
  await page.setViewportSize(WIDE);
}

/** No errors and no other origin; refused calls allowed. */
export function clean(w: Watched): void {
  expect(w.errors).toEqual([]);
  expect(w.foreign).toEqual([]);
}

/** Not even a refused call: for an operator's ordinary path, which logs nothing at all. */
export function spotless(w: Watched): void {
  clean(w);
  expect(w.refused).toEqual([]);
}
