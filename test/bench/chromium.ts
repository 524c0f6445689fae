/**
 * Debian's Chromium through playwright-core with the team's flags (coordination.md), launched as a
 * browser server so its PID is known, with its own temporary profile; stopped by PID if closing hangs.
 */
import { chromium, type Browser, type BrowserServer } from 'playwright-core';

export const CHROMIUM_PATH = process.env['FINCH_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  browser: Browser;
  stop(): Promise<void>;
}

async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: Parameters<typeof clearTimeout>[0];
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((r) => {
        timer = setTimeout(r, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startChromium(): Promise<Chromium> {
  const server: BrowserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  const pid = server.process().pid;
  const kill = async (): Promise<void> => {
    await within(server.close(), 5_000).catch(() => undefined);
    try {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    } catch {
      // Already exited.
    }
  };
  let browser: Browser;
  try {
    browser = await chromium.connect(server.wsEndpoint());
  } catch (err) {
    await kill();
    throw err;
  }
  return {
    browser,
    async stop() {
      await within(browser.close(), 5_000).catch(() => undefined);
      await kill();
    },
  };
}
