// One demo and one Chromium for a whole test file: started before its first test, stopped by PID after
// its last, with the demo's data in a temporary directory that goes with it. Vitest's hooks are
// registered by the call, so call it at the top of the file.
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, BrowserContextOptions } from 'playwright-core';
import { startBrowser, type BrowserHandle } from '../harness/index.js';
import { startDemoProcess, type DemoProcess } from './demoProcess.js';

export interface DemoInBrowser {
  /** The running demo (a new one after `restart`). */
  readonly demo: DemoProcess;
  readonly browser: BrowserHandle;
  /** The demo's data directory (its database and release files). */
  readonly dataDir: string;
  /** A fresh profile: no worker, no IndexedDB, no caches. Closed after the file's tests. */
  freshContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Stops the demo and starts it again on the same port and data, so pages keep their origin. */
  restart(env?: Record<string, string>): Promise<void>;
}

/** @example const stage = demoInBrowser('finch-demo-e2e-'); … stage.demo.url … */
export function demoInBrowser(tempPrefix: string): DemoInBrowser {
  let demo: DemoProcess | undefined;
  let browser: BrowserHandle | undefined;
  let dataDir: string | undefined;
  const contexts: BrowserContext[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The ${what} is not started: use it inside a test.`);
    return value;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), tempPrefix));
    demo = await startDemoProcess({ dataDir });
    browser = await startBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.stop();
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get demo() { return started(demo, 'demo'); },
    get browser() { return started(browser, 'browser'); },
    get dataDir() { return started(dataDir, 'data directory'); },
    async freshContext(options) {
      const context = await started(browser, 'browser').newContext(options);
      contexts.push(context);
      return context;
    },
    async restart(env = {}) {
      const running = started(demo, 'demo');
      await running.stop();
      demo = await startDemoProcess({ dataDir: started(dataDir, 'data directory'), port: running.port, fresh: false, env });
    },
  };
}
