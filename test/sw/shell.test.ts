// Shell files named by prefix (`/assets/*`): a bundled host's hashed files, network first with an offline copy.
import { beforeEach, describe, expect, test } from 'vitest';
import { isShell } from '../../sw/isShell.js';
import { resolveOptions } from '../../sw/options.js';
import { SHELL_PREFIX_FILES } from '../../sw/pruneShell.js';
import { net, ORIGIN, rig, text } from './fakes.js';
import type { Rig } from './fakes.js';

const SHELL = ['/', '/finch.js', '/assets/*'];

describe('which requests are shell files', () => {
  const config = resolveOptions({ shellFiles: SHELL }, ORIGIN);
  test.each([
    ['/', true],
    ['/?from=mail', true],
    ['/finch.js', true],
    ['/assets/index-3f9a1c.js', true],
    ['/assets/index-5b2e07.css?v=2', true],
    ['/assets/fonts/inter-1d2c.woff2', true],
    ['/assets/', true],
    // Exact entries stay exact.
    ['/index.html', false],
    ['/finch.js/extra', false],
    ['/finch.js.map', false],
    // A prefix is a path prefix, not the start of a name.
    ['/assets', false],
    ['/assets-old/index-3f9a1c.js', false],
    ['/ASSETS/index-3f9a1c.js', false],
    // Dot segments are resolved before matching: they cannot leave the prefix.
    ['/assets/../api/users', false],
    ['/assets/%2e%2e/api/users', false],
    ['/api/users', false],
    ['https://cdn.test/assets/index-3f9a1c.js', false],
  ])('%s → %s', (path, expected) => {
    expect(isShell(config, new URL(path, ORIGIN))).toBe(expected);
  });

  test('prefixes are resolved like exact paths; exact entries keep their own list (pre-cached at install)', () => {
    const resolved = resolveOptions({ shellFiles: ['/', 'finch.js', 'assets/*', '/static/js/*'] }, ORIGIN);
    expect(resolved.shellFiles).toEqual(['/', '/finch.js']);
    expect(resolved.shellPrefixes).toEqual(['/assets/', '/static/js/']);
  });

  test.each([
    ['*', {}],
    ['/*', {}],
    ['/x/../*', {}],
    // Over or under the virtual URLs: the host would answer them instead of the pinned builds.
    ['/apps/*', {}],
    ['/ap*', {}],
    ['/apps/dashboard/*', {}],
    ['/mf/*', { assetPrefix: '/mf/' }],
  ])('the shell prefix %s is refused with invalid-input', (entry, options) => {
    expect(() => resolveOptions({ ...options, shellFiles: ['/', entry] }, ORIGIN)).toThrow(
      expect.objectContaining({ name: 'FinchError', code: 'invalid-input', details: { value: new URL(entry, ORIGIN).pathname } }),
    );
  });

  test('a prefix is only refused against the virtual path prefix in use', () => {
    expect(resolveOptions({ assetPrefix: '/mf/', shellFiles: ['/apps/*'] }, ORIGIN).shellPrefixes).toEqual(['/apps/']);
  });
});

let w: Rig;
let online: boolean;
const shellCache = () => [...(w.caches.map.get('finch-shell-v1')?.entries.keys() ?? [])].map((u) => u.slice(ORIGIN.length));

beforeEach(() => {
  w = rig({ shellFiles: SHELL });
  online = true;
  const fetch = w.deps.fetch;
  w.deps.fetch = (input, init) => (online ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch')));
  w.serve('/', () => net('<script type="module" src="/assets/index-3f9a1c.js"></script>', { headers: { 'content-type': 'text/html' } }));
  w.serve('/assets/index-3f9a1c.js', 'app 3f9a1c');
  w.serve('/assets/index-5b2e07.css', () => net('main{}', { headers: { 'content-type': 'text/css' } }));
  w.serve('/api/users', () => net('[]', { headers: { 'content-type': 'application/json' } }));
});

describe('files under a shell prefix: network first, cached on the way through', () => {
  test('online they come from the network and are kept; offline the kept copy answers', async () => {
    expect(await text(w.navigate('/', 'N1'))).toContain('index-3f9a1c.js');
    expect(await text(w.get('/assets/index-3f9a1c.js?v=1', 'N1', { destination: 'script' }))).toBe('app 3f9a1c');
    expect(await text(w.get('/assets/index-5b2e07.css', 'N1', { destination: 'style' }))).toBe('main{}');
    // Keyed by path, as exact shell files are: the query does not make a second copy.
    expect(shellCache()).toEqual(['/', '/assets/index-3f9a1c.js', '/assets/index-5b2e07.css']);
    online = false;
    expect(await text(w.navigate('/', 'N2'))).toContain('index-3f9a1c.js');
    expect(await text(w.get('/assets/index-3f9a1c.js', 'N2', { destination: 'script' }))).toBe('app 3f9a1c');
    const css = await w.get('/assets/index-5b2e07.css?v=2', 'N2', { destination: 'style' })!;
    expect([css.status, css.headers.get('content-type'), await css.text()]).toEqual([200, 'text/css', 'main{}']);
  });

  test('a hashed file never fetched online is a network error offline, not some other file', async () => {
    await text(w.get('/assets/index-3f9a1c.js', 'N1'));
    online = false;
    expect((await w.get('/assets/index-77aa00.js', 'N1')!).type).toBe('error');
  });

  test('a same-origin path outside every shell entry is left to the network and never cached', async () => {
    await text(w.navigate('/', 'N1'));
    expect(w.get('/api/users', 'N1')).toBeUndefined();
    expect(w.get('/assets-old/index-3f9a1c.js', 'N1')).toBeUndefined();
    expect(w.navigate('/settings', 'N2')).toBeUndefined();
    expect(shellCache()).toEqual(['/']);
  });

  test.each<[string, () => Response]>([
    ['a 404', () => net('missing', { status: 404 })],
    ['a 5xx', () => net('down', { status: 503 })],
    ['a 206', () => net('part', { status: 206 })],
    ['an opaque answer', () => net('x', {}, 'opaque')],
  ])('%s under a prefix is passed on and not cached', async (_name, route) => {
    w.serve('/assets/index-3f9a1c.js', route);
    await w.get('/assets/index-3f9a1c.js', 'N1');
    expect(shellCache()).toEqual([]);
  });
});

describe(`at most ${SHELL_PREFIX_FILES} files are kept under the prefixes, the most recently fetched`, () => {
  const chunk = (i: number) => `/assets/chunk-${i}.js`;
  const fetchChunks = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      w.serve(chunk(i), `chunk ${i}`);
      await text(w.get(chunk(i), 'N1'));
    }
  };

  test('past the bound the file fetched longest ago goes; exact shell files are neither counted nor pruned', async () => {
    await text(w.navigate('/', 'N1'));
    await fetchChunks(0, SHELL_PREFIX_FILES);
    expect(shellCache()).toHaveLength(SHELL_PREFIX_FILES + 1);
    await fetchChunks(SHELL_PREFIX_FILES, SHELL_PREFIX_FILES + 2);
    const kept = shellCache();
    expect(kept).toHaveLength(SHELL_PREFIX_FILES + 1);
    expect(kept).toContain('/');
    expect(kept).not.toContain(chunk(0));
    expect(kept).not.toContain(chunk(1));
    expect(kept).toContain(chunk(2));
    expect(kept).toContain(chunk(SHELL_PREFIX_FILES + 1));
  });

  test('fetching a file online again makes it the newest: what pages still use stays', async () => {
    await fetchChunks(0, SHELL_PREFIX_FILES);
    await text(w.get(chunk(0), 'N2'));
    await fetchChunks(SHELL_PREFIX_FILES, SHELL_PREFIX_FILES + 1);
    const kept = shellCache();
    expect(kept).toContain(chunk(0));
    expect(kept).not.toContain(chunk(1));
    // An offline answer from the cache puts nothing, so it does not move the file.
    online = false;
    await text(w.get(chunk(2), 'N2'));
    online = true;
    await fetchChunks(SHELL_PREFIX_FILES + 1, SHELL_PREFIX_FILES + 2);
    expect(shellCache()).not.toContain(chunk(2));
  });

  test('entries of a prefix no longer configured count too, so an old layout does not stay forever', async () => {
    const before = rig({ shellFiles: ['/', '/static/*'] });
    before.serve('/static/old-1a2b.js', 'old');
    await text(before.get('/static/old-1a2b.js', 'N1'));
    w.caches.map.set('finch-shell-v1', before.caches.map.get('finch-shell-v1')!);
    await fetchChunks(0, SHELL_PREFIX_FILES);
    expect(shellCache()).not.toContain('/static/old-1a2b.js');
    expect(shellCache()).toHaveLength(SHELL_PREFIX_FILES);
  });
});
