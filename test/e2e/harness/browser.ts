// Debian's Chromium through playwright-core, one browser process per test file, always stopped by PID.
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, BrowserServer } from 'playwright-core';

export const CHROMIUM_PATH = process.env.FINCH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserHandle {
  browser: Browser;
  /** The Chromium process id, for the last-resort kill. */
  pid: number | undefined;
  /** A fresh context: its own storage, service workers and caches (like a new profile). */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Closes the browser; kills the process if it does not exit in time. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Launches Chromium as a browser server (so its PID is known) with a fresh temporary profile, and connects.
 * @example const b = await startBrowser(); try { … } finally { await b.stop(); }
 */
export async function startBrowser(): Promise<BrowserHandle> {
  const server: BrowserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const pid = server.process().pid;
  let browser: Browser;
  try {
    browser = await chromium.connect(server.wsEndpoint());
  } catch (error) {
    await killServer(server, pid);
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    browser,
    pid,
    newContext: (options) => browser.newContext(options),
    stop: () =>
      (stopped ??= (async () => {
        await withTimeout(browser.close(), 5000).catch(() => {});
        await killServer(server, pid);
      })()),
  };
}

async function killServer(server: BrowserServer, pid: number | undefined): Promise<void> {
  await withTimeout(server.close(), 5000).catch(() => {});
  if (pid !== undefined && isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited between the check and the kill.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
