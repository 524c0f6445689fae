// What every bundler browser test file holds for all its tests: one Chromium, the temporary folders its
// builds go to, and the browser contexts it opened, all gone after its last test. Vitest's hooks are
// registered by the call, so call it at the top of the file, before the hooks that use it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { BrowserContext, BrowserContextOptions } from 'playwright-core';
import { startBrowser, type BrowserHandle } from '../harness/index.js';

export interface TestBed {
  /** A new empty folder under the system's temporary one, removed after the file's tests. */
  tempDir(name: string): Promise<string>;
  /** A fresh profile: no worker, no IndexedDB, no caches. */
  freshContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** `prefix` names the temporary folders, like `finch-qiankun-`. */
export function testBed(prefix: string): TestBed {
  const temp: string[] = [];
  const contexts: BrowserContext[] = [];
  let browser: BrowserHandle | undefined;

  beforeAll(async () => {
    browser = await startBrowser();
  });

  // Registered first, so it runs after the file's own afterAll hooks (which stop its servers).
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.stop();
    for (const dir of temp) await rm(dir, { recursive: true, force: true });
  });

  return {
    async tempDir(name) {
      const dir = await mkdtemp(join(tmpdir(), `${prefix}${name}-`));
      temp.push(dir);
      return dir;
    },
    async freshContext(options = {}) {
      if (browser === undefined) throw new Error('Chromium is not started: open contexts inside a test.');
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    },
  };
}
