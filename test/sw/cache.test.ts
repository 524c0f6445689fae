import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { build, manifest, net, ORIGIN, rig, text } from './fakes.js';
import type { Rig } from './fakes.js';

const MAIN = ORIGIN + '/releases/dashboard/2/main.js';
let w: Rig;
beforeEach(async () => {
  w = rig();
  await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0'), build(1, '1.0.0')));
});
const builds = () => w.caches.map.get('finch-builds-v1')?.entries ?? new Map();

describe('versioned files are immutable: cache first', () => {
  test('the second request of a file is served from the cache, keyed by its real URL', async () => {
    w.serve(MAIN, 'dashboard 2');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('dashboard 2');
    expect(await text(w.get('/apps/dashboard/main.js', 'B'))).toBe('dashboard 2');
    expect(w.fetched).toEqual([MAIN]);
    expect([...builds().keys()]).toEqual([MAIN]);
  });

  test.each<[string, () => Response]>([
    ['opaque', () => net('x', {}, 'opaque')],
    ['partial (206)', () => net('x', { status: 206 })],
    ['non-200 ok (203)', () => net('x', { status: 203 })],
  ])('R12: an %s answer is served but never cached', async (_name, route) => {
    w.serve(MAIN, route);
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('x');
    expect(builds().size).toBe(0);
  });

  test('a cors answer (allow-listed origin) is cached', async () => {
    w = rig({ allowedOrigins: ['https://cdn.test'] });
    await applyManifest(w.state, w.deps, manifest({ ...build(3, '3.0.0'), baseUrl: 'https://cdn.test/d/3/' }));
    w.serve('https://cdn.test/d/3/main.js', () => net('cdn', {}, 'cors'));
    await text(w.get('/apps/dashboard/main.js', 'A'));
    expect([...builds().keys()]).toEqual(['https://cdn.test/d/3/main.js']);
  });

  test('a file larger than maxFileBytes is served but not cached', async () => {
    w = rig({ maxFileBytes: 4 });
    await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0')));
    w.serve(MAIN, '12345');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('12345');
    expect(builds().size).toBe(0);
  });

  test('R11: cache.put throws (quota): Finch caches purged, others kept, the file served from the network', async () => {
    w.serve(MAIN, 'dashboard 2');
    w.serve('/releases/dashboard/2/other.js', 'other');
    await text(w.get('/apps/dashboard/other.js', 'A'));
    await w.caches.open('finch-shell-v1');
    await w.caches.open('host-app-cache');
    (await w.caches.open('finch-builds-v1')).putError = new DOMException('full', 'QuotaExceededError');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('dashboard 2');
    expect(await w.caches.keys()).toEqual(['host-app-cache']);
    // Keeps working: the next request fetches again and caches in a fresh cache.
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('dashboard 2');
    expect([...builds().keys()]).toEqual([MAIN]);
  });

  test('builds no longer in any manifest or pin are evicted on a manifest change', async () => {
    for (const id of [1, 2, 3]) w.serve(`/releases/dashboard/${id}/main.js`, `main ${id}`);
    w.serve('/releases/header/10/main.js', 'header');
    w.navigate('/', 'A');
    await text(w.get('/apps/dashboard/main.js', 'A'));
    await text(w.get('/apps/header/main.js', 'A'));
    await applyManifest(w.state, w.deps, manifest(build(1, '1.0.0')));
    w.navigate('/', 'B');
    await text(w.get('/apps/dashboard/main.js', 'B'));
    expect(builds().size).toBe(3);
    // A is gone; the new manifest names 3 only: 2 is dropped, 1 (B's pin) and header stay.
    w.clients = ['B'];
    await applyManifest(w.state, w.deps, manifest(build(3, '3.0.0')));
    expect([...builds().keys()].sort()).toEqual([ORIGIN + '/releases/dashboard/1/main.js', ORIGIN + '/releases/header/10/main.js']);
  });
});
