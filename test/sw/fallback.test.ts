import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { handleMessage } from '../../sw/handleMessage.js';
import { build, manifest, net, ORIGIN, rig, sri, text } from './fakes.js';
import type { Rig } from './fakes.js';

const GRAY = ORIGIN + '/releases/dashboard/2/main.js';
let w: Rig;

async function start(integrity: Record<string, string> = {}): Promise<void> {
  await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0', 'dashboard', integrity), build(1, '1.0.0')));
  w.serve('/releases/dashboard/1/main.js', 'main 1');
  w.serve('/releases/dashboard/1/main.css', 'css 1');
  w.serve('/releases/dashboard/2/main.css', 'css 2');
  w.navigate('/', 'A');
}

beforeEach(async () => {
  w = rig();
});

describe('Missing build, integrity, redirects: a failing gray file moves the page\'s product to its fallback', () => {
  test.each<[string, () => Response | Promise<Response>, Record<string, string>, string]>([
    ['404', () => net('missing', { status: 404, headers: { 'content-type': 'text/plain' } }), {}, 'status'],
    ['503', () => net('down', { status: 503 }), {}, 'status'],
    ['HTML for a script (SPA catch-all)', () => net('<!doctype html>', { headers: { 'content-type': 'text/html; charset=utf-8' } }), {}, 'content-type'],
    ['a redirect to another origin (manual redirect)', () => net(null, { status: 302, headers: { location: 'https://evil.test/x.js' } }), {}, 'redirect'],
    ['an opaque redirect', () => net(null, {}, 'opaqueredirect'), {}, 'redirect'],
  ])('%s', async (_name, route, integrity, reason) => {
    await start(integrity);
    w.serve(GRAY, route);
    expect(await text(w.get('/apps/dashboard/main.js', 'A', { destination: 'script' }))).toBe('main 1');
    expect(w.posted).toEqual([
      { clientId: 'A', message: { type: 'finch:fallback', product: 'dashboard', resourceId: 2, fallbackResourceId: 1, reason, url: GRAY } },
    ]);
    expect(w.reports).toEqual([
      { resourceId: 2, product: 'dashboard', kind: 'load-error', url: GRAY, message: `worker: ${reason}` },
    ]);
    expect(w.savedBad).toEqual({ 2: 1_000_000 });
    // From now on the page gets the fallback build only, even for files that the gray build has.
    expect(await text(w.get('/apps/dashboard/main.css', 'A'))).toBe('css 1');
    expect(w.fetched).not.toContain(ORIGIN + '/releases/dashboard/2/main.css');
    // New pages of this browser start on the fallback; the bad build is never cached.
    w.navigate('/', 'B');
    expect(await text(w.get('/apps/dashboard/main.css', 'B'))).toBe('css 1');
    expect([...w.caches.map.get('finch-builds-v1')!.entries.keys()]).not.toContain(GRAY);
  });

  test('the report carries the failed build\'s report token, so a rollout\'s guard counts this user', async () => {
    await applyManifest(w.state, w.deps, manifest({ ...build(2, '2.0.0'), reportToken: 'day.user.signature' }, build(1, '1.0.0')));
    w.serve('/releases/dashboard/1/main.js', 'main 1');
    w.serve(GRAY, () => net('missing', { status: 404 }));
    w.navigate('/', 'A');
    expect(await text(w.get('/apps/dashboard/main.js', 'A', { destination: 'script' }))).toBe('main 1');
    expect(w.reports).toEqual([
      { resourceId: 2, product: 'dashboard', kind: 'load-error', url: GRAY, message: 'worker: status', token: 'day.user.signature' },
    ]);
  });

  test('Integrity: one byte flipped against the manifest hash → fallback; the right bytes are served and cached', async () => {
    await start({ 'main.js': await sri('main 2') });
    w.serve(GRAY, 'main 3');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 1');
    expect(w.posted[0]?.message).toMatchObject({ type: 'finch:fallback', reason: 'integrity' });
    expect(w.reports).toEqual([
      { resourceId: 2, product: 'dashboard', kind: 'integrity-error', url: GRAY, message: 'worker: integrity' },
    ]);

    w = rig();
    await start({ 'main.js': `sha256-AAAA ${await sri('main 2')}` });
    w.serve(GRAY, 'main 2');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 2');
    expect(w.posted).toEqual([]);
    expect([...w.caches.map.get('finch-builds-v1')!.entries.keys()]).toContain(GRAY);
  });

  test('a network error falls back for this page but does not mark the build bad (offline says nothing about it)', async () => {
    await start();
    w.serve(GRAY, () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 1');
    expect(w.posted[0]?.message).toMatchObject({ reason: 'network' });
    expect(w.savedBad).toEqual({});
    w.navigate('/', 'B');
    w.serve(GRAY, 'main 2');
    expect(await text(w.get('/apps/dashboard/main.js', 'B'))).toBe('main 2');
  });

  test('the fallback build lacks the file: an error answer, never the gray file', async () => {
    await start();
    w.serve('/releases/dashboard/2/lazy.js', () => net('gone', { status: 404 }));
    const answer = await w.get('/apps/dashboard/lazy.js', 'A')!;
    expect(answer.ok).toBe(false);
    expect(w.fetched).toEqual([ORIGIN + '/releases/dashboard/2/lazy.js', ORIGIN + '/releases/dashboard/1/lazy.js']);
  });

  test('a file loading while the page falls back is answered from the fallback build (never a mix)', async () => {
    await start();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    w.serve('/releases/dashboard/2/slow.js', async () => (await gate, net('slow 2')));
    w.serve('/releases/dashboard/1/slow.js', 'slow 1');
    w.serve(GRAY, () => net('missing', { status: 404 }));
    const slow = w.get('/apps/dashboard/slow.js', 'A');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 1');
    release();
    expect(await text(slow)).toBe('slow 1');
  });

  test('a full build without fallback passes a 404 on unchanged and stays pinned', async () => {
    await applyManifest(w.state, w.deps, manifest(build(1, '1.0.0')));
    w.serve('/releases/dashboard/1/main.js', () => net('missing', { status: 404 }));
    expect((await w.get('/apps/dashboard/main.js', 'A')!).status).toBe(404);
    expect(w.posted).toEqual([]);
    expect(w.savedBad).toEqual({});
  });

  test('finch:fallback from the page (its own load failed) re-pins that page and remembers the build', async () => {
    await start();
    w.navigate('/', 'B');
    w.serve(GRAY, 'main 2');
    await handleMessage({ type: 'finch:fallback', product: 'dashboard' }, 'A', w.state, w.deps);
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 1');
    expect(await text(w.get('/apps/dashboard/main.js', 'B'))).toBe('main 2');
    expect(w.savedBad).toEqual({ 2: 1_000_000 });
    // The SDK already emitted `fallback` and reported: neither a message back nor a second report.
    expect(w.posted).toEqual([]);
    expect(w.reports).toEqual([]);
  });

  test('a bad build is retried by new pages a day later', async () => {
    await start();
    w.state.bad = { 2: 1_000_000 - 86_400_000 };
    w.serve(GRAY, 'main 2');
    w.navigate('/', 'B');
    expect(await text(w.get('/apps/dashboard/main.js', 'B'))).toBe('main 2');
  });
});
