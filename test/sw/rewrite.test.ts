import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { build, manifest, net, ORIGIN, rig, text } from './fakes.js';
import type { Rig } from './fakes.js';

let w: Rig;
beforeEach(async () => {
  w = rig();
  await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0'), build(1, '1.0.0')));
  w.serve('/releases/dashboard/2/main.js', 'dashboard 2');
  w.serve('/releases/dashboard/2/js/chunk-a1.js', 'chunk 2');
  w.serve('/releases/header/10/main.css', 'header css');
});

describe('rewrite {assetPrefix}{product}/{path} → {baseUrl}{path}', () => {
  test.each([
    ['/apps/dashboard/main.js', '/releases/dashboard/2/main.js', 'dashboard 2'],
    ['/apps/dashboard/js/chunk-a1.js', '/releases/dashboard/2/js/chunk-a1.js', 'chunk 2'],
    ['/apps/dashboard/main.js?cache=bust', '/releases/dashboard/2/main.js', 'dashboard 2'],
    ['/apps/header/main.css', '/releases/header/10/main.css', 'header css'],
  ])('%s → %s', async (path, target, body) => {
    expect(await text(w.get(path, 'A'))).toBe(body);
    expect(w.fetched).toEqual([ORIGIN + target]);
  });

  test('a custom assetPrefix', async () => {
    w = rig({ assetPrefix: '/mf/' });
    await applyManifest(w.state, w.deps, manifest(build(2, '2.0.0')));
    w.serve('/releases/dashboard/2/main.js', 'dashboard 2');
    expect(await text(w.get('/mf/dashboard/main.js', 'A'))).toBe('dashboard 2');
    expect(w.get('/apps/dashboard/main.js', 'A')).toBeUndefined();
  });

  test('the answer carries no URL of its own, so relative URLs resolve against the virtual path', async () => {
    const answer = await w.get('/apps/dashboard/main.js', 'A')!;
    expect(answer.url).toBe('');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/javascript');
  });
});

describe('requests the worker does not own get no answer at all', () => {
  test.each<[string, string, RequestInit & { mode?: RequestMode }]>([
    ['another origin', 'https://cdn.test/apps/dashboard/main.js', {}],
    ['a POST', '/apps/dashboard/main.js', { method: 'POST', body: 'x' }],
    ['outside the prefix', '/static/main.js', {}],
    ['an unknown product (stable build at its virtual path)', '/apps/billing/main.js', {}],
    ['the prefix itself', '/apps/dashboard', {}],
    ['an empty product', '/apps//main.js', {}],
    ['a Range request (opaque, partial and media responses)', '/apps/dashboard/video.mp4', { headers: { range: 'bytes=0-99' } }],
  ])('%s', (_name, path, init) => {
    expect(w.get(path, 'A', init)).toBeUndefined();
    expect(w.fetched).toEqual([]);
  });

  test('a navigation, even to a virtual path, is never answered with a build', () => {
    expect(w.navigate('/apps/dashboard/main.js', 'N')).toBeUndefined();
    expect(w.fetched).toEqual([]);
  });

  test('no manifest: nothing is rewritten', async () => {
    await applyManifest(w.state, w.deps, null, 'A');
    expect(w.get('/apps/dashboard/main.js', 'A')).toBeUndefined();
  });
});

describe('shell files (opt-in): network first, the cached copy offline', () => {
  test('online: the network answer, cached; offline: the cached copy; never cached: an error', async () => {
    w = rig({ shellFiles: ['/', '/finch.js'] });
    let online = true;
    w.serve('/', () => (online ? net('<h1>home</h1>', { headers: { 'content-type': 'text/html' } }) : Promise.reject(new TypeError('offline'))));
    w.serve('/finch.js', () => (online ? net('sdk') : Promise.reject(new TypeError('offline'))));
    expect(await text(w.navigate('/?from=mail', 'N1'))).toBe('<h1>home</h1>');
    online = false;
    expect(await text(w.navigate('/', 'N2'))).toBe('<h1>home</h1>');
    const sdk = await w.get('/finch.js', 'N2', { destination: 'script' })!;
    expect(sdk.type).toBe('error');
  });

  test('a 5xx of a shell file is passed on (network first) and not cached', async () => {
    w = rig({ shellFiles: ['/'] });
    w.serve('/', () => net('down', { status: 503 }));
    expect((await w.navigate('/', 'N1')!).status).toBe(503);
    expect(w.caches.map.get('finch-shell-v1')?.entries.size ?? 0).toBe(0);
  });
});
