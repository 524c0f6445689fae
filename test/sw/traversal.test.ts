import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { handleMessage } from '../../sw/handleMessage.js';
import { build, manifest, ORIGIN, rig } from './fakes.js';
import type { Rig } from './fakes.js';

let w: Rig;
beforeEach(async () => {
  w = rig();
  await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0'), build(1, '1.0.0')));
});

describe('Unsafe URLs: a request path that would climb out of baseUrl goes to the network unchanged, with a report', () => {
  // The URL parser itself resolves "%2e%2e" like ".."; what is left no longer names a product build.
  test.each([
    ['/apps/dashboard/%2e%2e/%2e%2e/admin/secret.js', '/admin/secret.js'],
    ['/apps/dashboard/%2E%2E/1/main.js', '/apps/1/main.js'],
    ['/apps/dashboard/.%2e/.%2E/x.js', '/x.js'],
  ])('%s is parsed to %s before the worker sees it', (path, parsed) => {
    expect(new URL(path, ORIGIN).pathname).toBe(parsed);
    expect(w.get(path, 'A')).toBeUndefined();
  });

  test.each([
    '/apps/dashboard/%252e%252e/1/main.js',
    '/apps/dashboard/js%2f..%2f..%2fmain.js',
    '/apps/dashboard/js%5c..%5cmain.js',
    '/apps/dashboard/js//main.js',
    '/apps/dashboard/javascript:alert(1)',
    '/apps/dashboard/%00main.js',
  ])('%s', async (path) => {
    expect(w.get(path, 'A')).toBeUndefined();
    expect(w.fetched).toEqual([]);
    await Promise.resolve();
    expect(w.reports).toEqual([
      { resourceId: 2, product: 'dashboard', kind: 'load-error', url: new URL(path, ORIGIN).href, message: 'worker: unsafe-url' },
    ]);
  });

  test('no report when reportUrl is null', async () => {
    w = rig({ reportUrl: null });
    await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0')));
    expect(w.get('/apps/dashboard/%2e%2e/x.js', 'A')).toBeUndefined();
    await Promise.resolve();
    expect(w.reports).toEqual([]);
  });
});

describe('Unsafe URLs: a manifest message with an unsafe baseUrl or file is refused whole; the current one stays', () => {
  test.each([
    ['baseUrl', '../releases/dashboard/3/'],
    ['baseUrl', '/releases/%2e%2e/3/'],
    ['baseUrl', '/releases/dashboard%2f3/'],
    ['baseUrl', '/releases\\dashboard\\3/'],
    ['baseUrl', '//evil.test/dashboard/3/'],
    ['baseUrl', 'https://evil.test/dashboard/3/'],
    ['baseUrl', 'javascript:alert(1)//'],
    ['baseUrl', 'data:text/javascript,alert(1)/'],
    ['baseUrl', '/releases/dashboard/3'],
    ['files', '../../admin.js'],
    ['files', '/admin.js'],
    ['files', 'js/%2e%2e/x.js'],
  ])('%s = %s', async (field, value) => {
    const evil = manifest(build(3, '3.0.0'));
    const dashboard = evil.products.dashboard!;
    if (field === 'baseUrl') dashboard.baseUrl = value;
    else dashboard.files = [value];
    await expect(handleMessage({ type: 'finch:manifest', manifest: evil, pin: true }, 'A', w.state, w.deps)).rejects.toMatchObject({
      code: expect.stringMatching(/^(unsafe-url|invalid-manifest)$/),
    });
    w.serve('/releases/dashboard/2/main.js', 'dashboard 2');
    expect(await (await w.get('/apps/dashboard/main.js', 'A'))!.text()).toBe('dashboard 2');
    expect(w.fetched.some((u) => u.includes('/3/') || u.includes('evil'))).toBe(false);
  });

  test('an allow-listed origin is accepted and fetched there', async () => {
    w = rig({ allowedOrigins: ['https://cdn.test'] });
    const cdn = manifest({ ...build(3, '3.0.0'), baseUrl: 'https://cdn.test/dashboard/3/' });
    await handleMessage({ type: 'finch:manifest', manifest: cdn, pin: true }, 'A', w.state, w.deps);
    w.serve('https://cdn.test/dashboard/3/main.js', 'from cdn');
    expect(await (await w.get('/apps/dashboard/main.js', 'A'))!.text()).toBe('from cdn');
  });
});
