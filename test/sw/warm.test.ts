// Warming: the first visit's page loads its builds before the worker controls it, so the worker fetches
// them itself; and files asked for by their real URL (`{baseUrl}{file}`) share the same cache.
import { beforeEach, describe, expect, test } from 'vitest';
import { applyManifest } from '../../sw/applyManifest.js';
import { warmBuilds, warmer } from '../../sw/warmBuilds.js';
import { handleMessage } from '../../sw/handleMessage.js';
import { build, manifest, net, ORIGIN, rig, sri, text } from './fakes.js';
import type { Rig } from './fakes.js';

const R = (path: string): string => ORIGIN + '/releases/' + path;
let w: Rig;
const cached = (): string[] => [...(w.caches.map.get('finch-builds-v1')?.entries.keys() ?? [])].sort();

/** dashboard 2 (gray: main.js + main.css, lazy chunk listed in integrity) over 1; header 10. */
async function gray(): Promise<void> {
  const main = { ...build(2, '2.0.0'), files: ['main.css', 'main.js'], integrity: { 'main.js': await sri('main 2'), 'chunks/chart.js': await sri('chart 2') } };
  await applyManifest(w.state, w.deps, manifest(main, build(1, '1.0.0')));
}

beforeEach(async () => {
  w = rig();
  w.serve(R('dashboard/2/main.js'), 'main 2');
  w.serve(R('dashboard/2/main.css'), () => net('css 2', { headers: { 'content-type': 'text/css' } }));
  w.serve(R('dashboard/2/chunks/chart.js'), 'chart 2');
  w.serve(R('dashboard/1/main.js'), 'main 1');
  w.serve(R('header/10/main.js'), 'header 10');
});

describe('warmBuilds: every file of every build of the current manifest, checked, in the cache', () => {
  test('entries, fallbacks and the lazy chunks listed only in integrity are fetched once and cached', async () => {
    await gray();
    await warmBuilds(w.state, w.deps);
    const all = [R('dashboard/1/main.js'), R('dashboard/2/chunks/chart.js'), R('dashboard/2/main.css'), R('dashboard/2/main.js'), R('header/10/main.js')];
    expect([...w.fetched].sort()).toEqual(all);
    expect(cached()).toEqual(all);
    // Already cached: a second round asks the network for nothing.
    await warmBuilds(w.state, w.deps);
    expect(w.fetched).toHaveLength(5);
    // A page then gets its files, lazy chunk included, with no network at all.
    w.deps.fetch = () => Promise.reject(new TypeError('offline'));
    w.navigate('/', 'A');
    expect(await text(w.get('/apps/dashboard/main.js', 'A'))).toBe('main 2');
    expect(await text(w.get('/apps/dashboard/chunks/chart.js', 'A'))).toBe('chart 2');
    expect(w.posted).toEqual([]);
  });

  test('failures are ignored: nothing cached for them, no build marked bad, no report, no message', async () => {
    await gray();
    w.serve(R('dashboard/2/main.js'), 'main 3'); // one byte off its hash
    w.serve(R('dashboard/2/chunks/chart.js'), () => Promise.reject(new TypeError('Failed to fetch')));
    w.serve(R('dashboard/2/main.css'), () => net('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    w.routes.delete(R('dashboard/1/main.js')); // 404
    await expect(warmBuilds(w.state, w.deps)).resolves.toBeUndefined();
    expect(cached()).toEqual([R('header/10/main.js')]);
    expect(w.savedBad).toEqual({});
    expect(w.state.bad).toEqual({});
    expect(w.reports).toEqual([]);
    expect(w.posted).toEqual([]);
  });

  test('offline: nothing cached, nothing thrown, and new pages still start on the gray build', async () => {
    await gray();
    w.deps.fetch = () => Promise.reject(new TypeError('offline'));
    await warmBuilds(w.state, w.deps);
    expect(cached()).toEqual([]);
    w.deps.fetch = rig().deps.fetch;
    expect(w.state.bad).toEqual({});
    w.navigate('/', 'B');
    expect(w.state.pins.get('B')?.['dashboard']?.resourceId).toBe(2);
  });

  test('a build this browser saw fail is skipped while it counts as bad; its fallback is still warmed', async () => {
    await gray();
    w.state.bad = { 2: 1_000_000 - 1 };
    await warmBuilds(w.state, w.deps);
    expect([...w.fetched].sort()).toEqual([R('dashboard/1/main.js'), R('header/10/main.js')]);
  });

  test('at most 4 files are fetched at a time', async () => {
    const files = ['a.js', 'b.js', 'c.js', 'd.js', 'e.js', 'f.js'];
    const m = manifest({ ...build(2, '2.0.0'), files });
    delete m.products['header'];
    await applyManifest(w.state, w.deps, m);
    let open = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    for (const f of files) {
      w.serve(R('dashboard/2/' + f), async () => {
        most = Math.max(most, ++open);
        await new Promise<void>((resolve) => gates.push(resolve));
        open--;
        return net(f);
      });
    }
    let finished = false;
    const done = warmBuilds(w.state, w.deps).then(() => (finished = true));
    // Bounded: each round lets every lane reach the network, then releases what is held.
    for (let i = 0; i < 100 && !finished; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      gates.splice(0).forEach((release) => release());
    }
    await done;
    expect(cached()).toHaveLength(6);
    expect(most).toBe(4);
  });

  test('no manifest, or the worker turned off: nothing to fetch', async () => {
    await warmBuilds(w.state, w.deps);
    await gray();
    await handleMessage({ type: 'finch:off' }, 'A', w.state, w.deps);
    await warmBuilds(w.state, w.deps);
    expect(w.fetched).toEqual([]);
  });

  test('warmer: calls while a round waits join it; a call during a round queues one more, for the newer manifest', async () => {
    await gray();
    let started!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const finished = new Promise<void>((resolve) => (finish = resolve));
    w.serve(R('header/10/main.js'), async () => (started(), await finished, net('header 10')));
    w.serve(R('dashboard/3/main.js'), 'main 3');
    const warm = warmer(w.state, w.deps);
    const round = warm();
    expect(warm()).toBe(round);
    await running;
    await applyManifest(w.state, w.deps, manifest(build(3, '3.0.0')));
    const next = warm();
    expect(next).not.toBe(round);
    expect(warm()).toBe(next);
    finish();
    await next;
    expect(cached()).toContain(R('dashboard/3/main.js'));
    // Never two rounds at once: no file was fetched twice.
    expect(new Set(w.fetched).size).toBe(w.fetched.length);
  });
});

describe('a build file asked for by its real URL is served cache first from the same cache', () => {
  beforeEach(gray);

  test('the page that loaded {baseUrl}{file} directly, then the virtual URL: one network fetch', async () => {
    expect(await text(w.get('/releases/dashboard/2/main.js', 'A', { destination: 'script' }))).toBe('main 2');
    expect(await text(w.get('/releases/dashboard/2/main.js', 'B'))).toBe('main 2');
    expect(await text(w.get('/apps/dashboard/main.js', 'C'))).toBe('main 2');
    expect(w.fetched).toEqual([R('dashboard/2/main.js')]);
  });

  test('offline, a warmed build answers its direct URLs, lazy chunk included', async () => {
    await warmBuilds(w.state, w.deps);
    w.deps.fetch = () => Promise.reject(new TypeError('offline'));
    expect(await text(w.get('/releases/dashboard/1/main.js', 'A'))).toBe('main 1');
    expect(await text(w.get('/releases/dashboard/2/chunks/chart.js?v=1', 'A'))).toBe('chart 2');
  });

  test('a file whose bytes miss its hash is refused and not cached; a plain 404 passes on', async () => {
    w.serve(R('dashboard/2/main.js'), 'main 3');
    expect((await w.get('/releases/dashboard/2/main.js', 'A')!).type).toBe('error');
    expect((await w.get('/releases/dashboard/2/gone.js', 'A')!).status).toBe(404);
    expect(cached()).toEqual([]);
    // Never a fallback switch or a report: the page chose this URL itself.
    expect(w.posted).toEqual([]);
    expect(w.reports).toEqual([]);
  });

  test('a network failure goes to the network as the page asked it (never worse than no worker)', async () => {
    const asked: (string | Request)[] = [];
    const real = w.deps.fetch;
    w.deps.fetch = (input, init) => (asked.push(input), typeof input === 'string' ? Promise.reject(new TypeError('cors')) : real(input, init));
    expect(await text(w.get('/releases/dashboard/2/main.js', 'A'))).toBe('main 2');
    expect(asked.map((i) => (typeof i === 'string' ? i : 'the page\'s request ' + i.url))).toEqual([R('dashboard/2/main.js'), 'the page\'s request ' + R('dashboard/2/main.js')]);
  });

  test.each<[string, string, RequestInit & { mode?: RequestMode }]>([
    ['a build no manifest or pin names', '/releases/dashboard/7/main.js', {}],
    ['a neighbour of a build\'s folder', '/releases/dashboard/20/main.js', {}],
    ['a Range request (opaque, partial and media responses)', '/releases/dashboard/2/main.js', { headers: { range: 'bytes=0-9' } }],
    ['a POST', '/releases/dashboard/2/main.js', { method: 'POST', body: 'x' }],
  ])('%s: not answered', (_name, path, init) => {
    expect(w.get(path, 'A', init)).toBeUndefined();
    expect(w.fetched).toEqual([]);
  });

  test('a navigation to a build file is never answered', () => {
    expect(w.navigate('/releases/dashboard/2/main.js', 'N')).toBeUndefined();
  });

  test('a build at the site root is never matched: it cannot be told from the host\'s own URLs', async () => {
    await applyManifest(w.state, w.deps, manifest({ ...build(5, '5.0.0'), baseUrl: '/' }));
    expect(w.get('/api/v1/console-version', 'Z')).toBeUndefined();
    expect(w.get('/main.js', 'Z')).toBeUndefined();
  });

  test('a build on an allow-listed origin is matched by its full URL', async () => {
    w = rig({ allowedOrigins: ['https://cdn.test'] });
    await applyManifest(w.state, w.deps, manifest({ ...build(3, '3.0.0'), baseUrl: 'https://cdn.test/d/3/' }));
    w.serve('https://cdn.test/d/3/main.js', () => net('cdn', {}, 'cors'));
    expect(await text(w.get('https://cdn.test/d/3/main.js', 'A'))).toBe('cdn');
    expect(cached()).toEqual(['https://cdn.test/d/3/main.js']);
    expect(w.get('https://cdn.test/d/30/main.js', 'A')).toBeUndefined();
  });

  test('a page pinned to a build the current manifest no longer names still gets it cache first', async () => {
    w.navigate('/', 'A');
    await applyManifest(w.state, w.deps, manifest(build(3, '3.0.0')));
    expect(await text(w.get('/releases/dashboard/1/main.js', 'A'))).toBe('main 1');
    expect(w.get('/releases/dashboard/1/main.js', 'B')).toBeUndefined();
  });
});
