import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { handleMessage } from '../../sw/handleMessage.js';
import { build, manifest, net, ORIGIN, rig, text } from './fakes.js';
import type { Rig } from './fakes.js';

let w: Rig;
beforeEach(async () => {
  w = rig({ shellFiles: ['/'] });
  await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0')));
  w.serve('/releases/dashboard/2/main.js', 'dashboard 2');
  w.serve('/', () => net('home', { headers: { 'content-type': 'text/html' } }));
  await text(w.get('/apps/dashboard/main.js', 'A'));
  await text(w.navigate('/', 'B'));
  await w.caches.open('host-app-cache');
});

describe('Kill switch: the kill switch turns the worker off; failures never do', () => {
  test.each<[string, unknown]>([
    ['a manifest with serviceWorker.enabled false', { type: 'finch:manifest', manifest: manifest(build(2, '2.0.0'), undefined, false), pin: false }],
    ['finch:off', { type: 'finch:off' }],
  ])('%s: Finch caches deleted, unregistered, nothing intercepted', async (_name, message) => {
    await handleMessage(message, 'A', w.state, w.deps);
    expect(w.unregistered).toBe(1);
    expect(await w.caches.keys()).toEqual(['host-app-cache']);
    expect(w.get('/apps/dashboard/main.js', 'A')).toBeUndefined();
    expect(w.navigate('/', 'C')).toBeUndefined();
  });

  test.each<[string, () => Response | Promise<Response>]>([
    ['503', () => net('down', { status: 503, headers: { 'content-type': 'text/plain' } })],
    ['500', () => net('oops', { status: 500 })],
    ['offline', () => Promise.reject(new TypeError('Failed to fetch'))],
  ])('a %s from the network leaves the worker and its caches in place', async (_name, route) => {
    w.serve('/releases/dashboard/2/chunk.js', route);
    w.serve('/', route);
    const chunk = await w.get('/apps/dashboard/chunk.js', 'A')!;
    expect(chunk.ok).toBe(false);
    await w.navigate('/', 'C');
    expect(w.unregistered).toBe(0);
    expect((await w.caches.keys()).sort()).toEqual(['finch-builds-v1', 'finch-shell-v1', 'host-app-cache']);
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('dashboard 2');
    expect(w.fetched.filter((u) => u === ORIGIN + '/releases/dashboard/2/main.js')).toHaveLength(1);
  });

  test('a manifest that fails validation does not turn the worker off', async () => {
    await expect(handleMessage({ type: 'finch:manifest', manifest: { schema: 2 }, pin: true }, 'A', w.state, w.deps)).rejects.toThrow();
    expect(w.unregistered).toBe(0);
    expect(w.state.off).toBe(false);
  });
});
