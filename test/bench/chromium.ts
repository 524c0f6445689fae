/** The benchmarks' Chromium: the browser tests' own launcher (flags, temporary profile, stop by PID). */
import type { Browser } from 'playwright-core';
import { startBrowser } from '../e2e/harness/browser.js';

export { CHROMIUM_PATH } from '../e2e/harness/browser.js';

export interface Chromium {
  browser: Browser;
  stop(): Promise<void>;
}

export async function startChromium(): Promise<Chromium> {
  const handle = await startBrowser();
  return { browser: handle.browser, stop: () => handle.stop() };
}
