// @vitest-environment happy-dom
// The script-tag entry: window.Finch, and window.Finch.client from the tag's data attributes.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { VERSION } from '../../sdk/version.js';
import { controlPlane, entry, json, manifest } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
  // @ts-expect-error: each test runs the entry afresh
  delete window.Finch;
});

/** Runs sdk/script.ts as if it were loaded by `<script data-…>`. */
async function runAs(data: Record<string, string>) {
  const tag = document.createElement('script');
  Object.assign(tag.dataset, data);
  Object.defineProperty(document, 'currentScript', { value: tag, configurable: true });
  try {
    await import('../../sdk/script.js');
  } finally {
    Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
  }
  return window.Finch;
}

test('a tag without data defines createFinch and version only', async () => {
  const Finch = await runAs({});
  expect(Finch.version).toBe(VERSION);
  expect(typeof Finch.createFinch).toBe('function');
  expect(Finch.client).toBeUndefined();
});

test('data-endpoint and data-products create window.Finch.client with them', async () => {
  const cp = controlPlane(server, () => json(manifest('alice', { header: entry('header', 10, '1.1.0') })));
  const Finch = await runAs({ endpoint: '/api/v1', products: 'header, dashboard', assetPrefix: '/mf/' });
  expect(Finch.client).toBeDefined();
  await Finch.client!.login('alice');
  expect(cp.calls.map((c) => c.body)).toEqual([{ userId: 'alice', products: ['header', 'dashboard'], attributes: {} }]);
  expect(Finch.client!.resource('header')?.version).toBe('1.1.0');
});

test('only one of the two attributes: no client', async () => {
  expect((await runAs({ endpoint: '/api/v1' })).client).toBeUndefined();
  vi.resetModules();
  expect((await runAs({ products: 'a' })).client).toBeUndefined();
});
