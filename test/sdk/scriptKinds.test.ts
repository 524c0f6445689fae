// @vitest-environment happy-dom
// Script kinds: an entry file the build recorded as classic goes in as a plain script (webpack's
// `publicPath: 'auto'` needs `document.currentScript`), the rest as modules; always in order, with
// integrity, and a fallback build uses its own kinds.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Manifest } from '../../core/manifest.js';
import { memoryStore } from '../../sdk/FinchStore.js';
import { build, collect, controlPlane, entry, fakeHead, grayEntry, json, manifest, startFinch, urlOf } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const head = fakeHead();

async function loaded(m: Manifest, product: string) {
  controlPlane(server, () => json(m));
  const finch = startFinch({ endpoint: '/api/v1', products: Object.keys(m.products), store: memoryStore() }, head.insert);
  await finch.login('alice');
  await finch.load(product);
  return finch;
}

/** Each inserted element as tag and attributes, in insertion order. */
const inserted = (): Array<Record<string, string | boolean | undefined>> =>
  [...head.box.children].map((e) => ({ tag: e.tagName, async: (e as HTMLScriptElement).async, ...Object.fromEntries([...e.attributes].map((a) => [a.name, a.value])) }));

test.each([
  ['classic', { type: 'text/javascript' }],
  ['module', { type: 'module' }],
] as const)('a .js entry recorded as %s', async (kind, attributes) => {
  await loaded(manifest('alice', { shop: entry('shop', 5, '1.0.0', { files: ['js/app.js'], scripts: { 'js/app.js': kind } }) }), 'shop');
  expect(inserted()).toEqual([{ tag: 'SCRIPT', async: false, ...attributes, src: '/releases/shop/5/js/app.js' }]);
});

test('classic and module files of one build: in manifest order, each with integrity and crossorigin, classic ones plain', async () => {
  const files = ['main.css', 'js/runtime.js', 'js/vendors.js', 'js/app.js', 'assets/index.mjs'];
  const integrity = Object.fromEntries(files.map((f, i) => [f, `sha384-H${i}`]));
  const scripts = { 'js/runtime.js': 'classic', 'js/vendors.js': 'classic', 'js/app.js': 'classic' } as const;
  await loaded(manifest('alice', { shop: entry('shop', 5, '1.0.0', { files, integrity, scripts }) }), 'shop');
  const cors = (i: number) => ({ integrity: `sha384-H${i}`, crossorigin: 'anonymous' });
  expect(inserted()).toEqual([
    { tag: 'LINK', async: undefined, rel: 'stylesheet', href: '/releases/shop/5/main.css', ...cors(0) },
    { tag: 'SCRIPT', async: false, type: 'text/javascript', src: '/releases/shop/5/js/runtime.js', ...cors(1) },
    { tag: 'SCRIPT', async: false, type: 'text/javascript', src: '/releases/shop/5/js/vendors.js', ...cors(2) },
    { tag: 'SCRIPT', async: false, type: 'text/javascript', src: '/releases/shop/5/js/app.js', ...cors(3) },
    { tag: 'SCRIPT', async: false, type: 'module', src: '/releases/shop/5/assets/index.mjs', ...cors(4) },
  ]);
});

test('without scripts every .js and .mjs entry stays a module, as before', async () => {
  await loaded(manifest('alice', { shop: entry('shop', 5, '1.0.0', { files: ['a.js', 'b.mjs'] }) }), 'shop');
  expect(inserted().map((e) => e['type'])).toEqual(['module', 'module']);
});

test('a fallback build loads with its own kinds, never the gray build\'s', async () => {
  const gray = grayEntry('shop', 6, '2.0.0', 5, {
    files: ['main.js'],
    scripts: { 'main.js': 'module' },
    fallback: build('shop', 5, '1.0.0', { files: ['main.js'], scripts: { 'main.js': 'classic' } }),
  });
  head.failing.add('/releases/shop/6/main.js');
  controlPlane(server, () => json(manifest('alice', { shop: gray })));
  const finch = startFinch({ endpoint: '/api/v1', products: ['shop'], store: memoryStore() }, head.insert);
  await finch.login('alice');
  const fallbacks = collect(finch, 'fallback');
  await finch.load('shop');
  expect(fallbacks.map((f) => f.to.scripts)).toEqual([{ 'main.js': 'classic' }]);
  expect(inserted()).toEqual([{ tag: 'SCRIPT', async: false, type: 'text/javascript', src: '/releases/shop/5/main.js' }]);
});

test('a fallback build without scripts does not inherit the gray build\'s', async () => {
  const gray = grayEntry('shop', 6, '2.0.0', 5, { files: ['main.js'], scripts: { 'main.js': 'classic' } });
  head.failing.add('/releases/shop/6/main.js');
  const finch = await loaded(manifest('alice', { shop: gray }), 'shop');
  expect(finch.resource('shop')?.scripts).toBeUndefined();
  expect(head.box.children[0] && urlOf(head.box.children[0])).toBe('/releases/shop/5/main.js');
  expect(inserted()[0]?.['type']).toBe('module');
});

test('a stored or answered manifest with an unknown kind is refused whole', async () => {
  const bad = manifest('alice', { shop: entry('shop', 5, '1.0.0', { files: ['main.js'], scripts: { 'main.js': 'worker' as 'classic' } }) });
  controlPlane(server, () => json(bad));
  const finch = startFinch({ endpoint: '/api/v1', products: ['shop'], store: memoryStore() }, head.insert);
  const errors = collect(finch, 'error');
  await finch.login('alice');
  expect(errors.map((e) => [e.code, e.details.path])).toEqual([['invalid-manifest', '$.products.shop.scripts']]);
  expect(finch.resource('shop')).toBeNull();
});
