import { beforeEach, describe, expect, test, vi } from 'vitest';
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
  ])('Opaque, partial and media responses: an %s answer is served but never cached', async (_name, route) => {
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

  test('Quota exceeded: cache.put throws (quota): Finch caches purged, others kept, the file served from the network', async () => {
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

  test('a cached file is answered from its Blob with no URL, and a repeat needs no cache lookup', async () => {
    w.serve(MAIN, 'dashboard 2');
    const open = vi.spyOn(w.caches, 'open');
    await text(w.get('/apps/dashboard/main.js', 'A'));
    const match = vi.spyOn(w.caches.map.get('finch-builds-v1')!, 'match');
    for (const client of ['A', 'B', 'A']) {
      const answer = (await w.get('/apps/dashboard/main.js', client))!;
      expect(answer.url).toBe('');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/javascript');
      expect(await answer.text()).toBe('dashboard 2');
    }
    expect(w.fetched).toEqual([MAIN]);
    // The first repeat reads the cache, the next ones the Blob it kept; the handle opened by the
    // manifest's eviction (beforeEach) served every request.
    expect(match).toHaveBeenCalledTimes(1);
    expect(open).not.toHaveBeenCalled();
  });

  test('Quota exceeded: a purge also drops the files kept in memory, so they come from the network again', async () => {
    w.serve(MAIN, 'dashboard 2');
    w.serve('/releases/dashboard/2/other.js', 'other');
    await text(w.get('/apps/dashboard/main.js', 'A'));
    await text(w.get('/apps/dashboard/main.js', 'A'));
    (await w.caches.open('finch-builds-v1')).putError = new DOMException('full', 'QuotaExceededError');
    await text(w.get('/apps/dashboard/other.js', 'A'));
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('dashboard 2');
    expect(w.fetched).toEqual([MAIN, ORIGIN + '/releases/dashboard/2/other.js', MAIN]);
  });

  test('an evicted build is dropped from memory too', async () => {
    w.serve(MAIN, 'dashboard 2');
    w.navigate('/', 'A');
    await text(w.get('/apps/dashboard/main.js', 'A'));
    await text(w.get('/apps/dashboard/main.js', 'A'));
    expect([...w.state.hot.keys()]).toEqual([MAIN]);
    w.clients = [];
    await applyManifest(w.state, w.deps, manifest(build(3, '3.0.0')));
    expect(builds().size).toBe(0);
    expect(w.state.hot.size).toBe(0);
  });

  test('files kept in memory are bounded in total (8 MiB): beyond that a repeat reads the cache', async () => {
    const big = 'x'.repeat(5_000_000);
    w.serve(MAIN, big);
    w.serve('/releases/dashboard/2/other.js', big);
    const match = vi.spyOn(w.caches.map.get('finch-builds-v1')!, 'match');
    for (let i = 0; i < 3; i++) for (const file of ['main.js', 'other.js']) expect(await text(w.get('/apps/dashboard/' + file, 'A'))).toBe(big);
    expect([...w.state.hot.keys()]).toEqual([MAIN]);
    // main.js: a miss then its Blob; other.js: a miss then the cache every time.
    expect(match).toHaveBeenCalledTimes(2 + 3);
  });
});
