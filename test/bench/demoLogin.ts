/**
 * Login-to-mounted of the demo in Chromium: a first visit in a fresh profile, then a
 * repeat visit in the same profile (worker, IndexedDB and caches kept), counting the control-plane
 * requests (`/api/…`) made before both micro-frontends are on screen. The demo runs as `node demo/run.js`
 * in its own process on a random port, with its own data dir.
 */
import { existsSync, rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rootPath } from './finchModules.js';
import { startChild, tempDir } from './processes.js';

export interface Visit {
  /** From the login form's submit (or, for `auto`, the navigation start) to both products mounted. */
  ms: number;
  /** Control-plane requests made by the page before mount, plus any the worker made by then. */
  controlPlaneRequests: number;
  urls: string[];
}

export interface DemoVisits {
  first: Visit;
  repeat: Visit;
  /** Repeat visit where the demo signs the remembered user in by itself at page start. */
  auto: Visit;
}

const MOUNTED = '[data-finch-product="header"][data-finch-version]';
const MOUNTED_DASHBOARD = '[data-finch-product="dashboard"][data-finch-version]';

// Runs in the page before its own scripts: timestamps on the page's clock, not the bench's.
const PROBE = `
window.__bench = { submit: null, mounted: null };
document.addEventListener('submit', () => { window.__bench.submit = performance.now(); }, true);
new MutationObserver(() => {
  if (window.__bench.mounted === null && document.querySelector('${MOUNTED}') && document.querySelector('${MOUNTED_DASHBOARD}')) {
    window.__bench.mounted = performance.now();
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
`;

interface Probe {
  submit: number | null;
  mounted: number;
  api: Array<{ name: string; start: number }>;
}

async function readProbe(page: Page): Promise<Probe> {
  await page.waitForFunction(() => (window as unknown as { __bench: { mounted: number | null } }).__bench.mounted !== null, null, { timeout: 30_000 });
  return page.evaluate(() => {
    const b = (window as unknown as { __bench: { submit: number | null; mounted: number } }).__bench;
    const api = performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
      .map((e) => ({ name: e.name, start: e.startTime }));
    return { submit: b.submit, mounted: b.mounted, api };
  });
}

/** Page requests from resource timing (exact), worker requests from the browser's own events (up to mount). */
function visitOf(probe: Probe, from: number, workerApi: string[]): Visit {
  const before = probe.api.filter((e) => e.start < probe.mounted);
  const urls = [...before.map((e) => e.name), ...workerApi];
  return { ms: probe.mounted - from, controlPlaneRequests: urls.length, urls };
}

async function signIn(page: Page, url: string, userId: string): Promise<Visit> {
  await page.goto(url);
  await page.fill('input[name=userId]', userId);
  await page.click('form#login button[type=submit]');
  const probe = await readProbe(page);
  return visitOf(probe, probe.submit ?? 0, []);
}

export interface DemoServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `node demo/run.js` (seeded through the public API, which takes a while), so run.ts starts it
 * early next to the untimed size measurements.
 */
export async function startDemoServer(): Promise<DemoServer> {
  if (!existsSync(rootPath('demo/run.js'))) throw new Error('demo/run.js missing');
  const dataDir = tempDir('finch-bench-demo-');
  const demo = startChild(process.execPath, [rootPath('demo/run.js')], {
    cwd: rootPath(''),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', FINCH_DEMO_DATA_DIR: dataDir },
  });
  const stop = async (): Promise<void> => {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = `${(await demo.waitFor(/Finch demo is running at (http:\/\/\S+?)\/?\s*$/m, 120_000))[1]}/`;
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function measureDemoLogin(browser: Browser, url: string): Promise<DemoVisits> {
  let context: BrowserContext | null = null;
  try {
    context = await browser.newContext();
    await context.addInitScript(PROBE);
    const workerApi: string[] = [];
    context.on('request', (r) => {
      if (r.serviceWorker() && new URL(r.url()).pathname.startsWith('/api/')) workerApi.push(r.url());
    });

    const page = await context.newPage();
    const first = await signIn(page, url, 'alice');
    // The worker must be active before the repeat visit, as it would be for a returning user.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.close();

    // Repeat visit: the same profile, the remembered user forgotten, so the form is used again.
    const again = await context.newPage();
    await again.goto(url);
    await again.evaluate(() => localStorage.clear());
    workerApi.length = 0;
    const repeat = await signIn(again, url, 'alice');
    repeat.urls.push(...workerApi);
    repeat.controlPlaneRequests = repeat.urls.length;

    // Repeat visit as the demo does it: the remembered user is signed in at page start.
    workerApi.length = 0;
    const auto = await context.newPage();
    await auto.goto(url);
    const probe = await readProbe(auto);
    const autoVisit = visitOf(probe, 0, [...workerApi]);
    return { first, repeat, auto: autoVisit };
  } finally {
    await context?.close().catch(() => undefined);
  }
}
