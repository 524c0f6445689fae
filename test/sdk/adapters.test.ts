// @vitest-environment happy-dom
// The single-spa and qiankun adapters against a fake Finch client and a fake registerApplication: props
// reach the build's lifecycle, registration waits for a chosen build and happens once, and qiankun's
// entry object lists the build's files as absolute URLs.
import { afterEach, expect, test, vi } from 'vitest';
import type { ManifestEntry } from '../../core/manifest.js';
import { qiankunApp, qiankunEntry } from '../../sdk/adapters/qiankun.js';
import { lifecycles, registerWithFinch } from '../../sdk/adapters/singleSpa.js';
import type { SingleSpaApplication } from '../../sdk/adapters/singleSpa.js';
import type { Finch, FinchHook } from '../../sdk/types.js';
import { entry } from './fixtures.js';

type Apps = { FinchApps?: Record<string, unknown> };

/** A Finch client whose chosen builds the test sets, and whose load() announces a recording lifecycle. */
function fakeFinch(chosen: Record<string, ManifestEntry | null> = {}) {
  const hooks = new Map<string, FinchHook[]>();
  const calls: Array<[string, Element | null, Record<string, unknown>]> = [];
  const load = vi.fn(async (product: string) => {
    (window as Apps).FinchApps = {
      ...(window as Apps).FinchApps,
      [product]: {
        bootstrap: (props: Record<string, unknown>) => calls.push(['bootstrap', null, props]),
        mount: (el: Element, props: Record<string, unknown>) => calls.push(['mount', el, props]),
        unmount: (el: Element, props: Record<string, unknown>) => calls.push(['unmount', el, props]),
      },
    };
  });
  const removed: string[] = [];
  const finch = {
    load,
    resource: (product: string) => chosen[product] ?? null,
    register: (product: string, hook: FinchHook) => {
      hooks.set(product, [...(hooks.get(product) ?? []), hook]);
      return () => {
        removed.push(product);
        hooks.set(product, (hooks.get(product) ?? []).filter((h) => h !== hook));
      };
    },
  } as unknown as Finch;
  /** What Finch does on login, logout and fallback: every hook of the product gets the entry. */
  const choose = (product: string, e: ManifestEntry | null) => {
    for (const hook of hooks.get(product) ?? []) hook(e);
  };
  return { finch, load, calls, choose, removed, hooks };
}

afterEach(() => {
  delete (window as Apps).FinchApps;
  document.body.innerHTML = '';
});

test('single-spa lifecycles load the build once and pass single-spa props, merged over the adapter props, to bootstrap, mount and unmount', async () => {
  document.body.innerHTML = '<div id="mf-dashboard"></div>';
  const { finch, load, calls } = fakeFinch();
  const app = lifecycles(finch, 'dashboard', { container: '#mf-dashboard', props: { theme: 'dark', userId: 'adapter' } });
  const props = { name: 'dashboard', userId: 'alice' };
  await app.bootstrap(props);
  await app.mount(props);
  await app.unmount(props);
  expect(load).toHaveBeenCalledWith('dashboard');
  const el = document.querySelector('#mf-dashboard');
  const merged = { theme: 'dark', name: 'dashboard', userId: 'alice' };
  expect(calls).toEqual([
    ['bootstrap', null, merged],
    ['mount', el, merged],
    ['unmount', el, merged],
  ]);
});

test('single-spa mount fails with a FinchError when the container or the build lifecycle is missing', async () => {
  const { finch } = fakeFinch();
  await expect(lifecycles(finch, 'dashboard', { container: '#nowhere' }).mount({})).rejects.toMatchObject({ code: 'invalid-input' });
  const silent = { load: async () => {} } as unknown as Finch;
  document.body.innerHTML = '<div id="mf"></div>';
  await expect(lifecycles(silent, 'header', { container: '#mf' }).mount({})).rejects.toMatchObject({ code: 'load-error' });
});

test('registerWithFinch registers once, after Finch chose a build, with the customProps, and stops listening', async () => {
  document.body.innerHTML = '<main></main>';
  const { finch, choose, calls, removed } = fakeFinch();
  const registered: SingleSpaApplication[] = [];
  registerWithFinch(finch, (config) => registered.push(config), { name: 'dashboard', activeWhen: '/', container: 'main', customProps: { userId: 'alice' } });

  choose('dashboard', null);
  expect(registered).toEqual([]);
  choose('dashboard', entry('dashboard', 42, '2.0.0'));
  choose('dashboard', entry('dashboard', 43, '2.1.0'));
  expect(registered).toHaveLength(1);
  expect(removed).toEqual(['dashboard']);
  const [config] = registered;
  expect(config).toMatchObject({ name: 'dashboard', activeWhen: '/', customProps: { userId: 'alice' } });

  // single-spa hands the customProps back to every lifecycle; they reach the build.
  const app = await config!.app();
  await app.mount({ name: 'dashboard', ...config!.customProps });
  expect(calls).toEqual([['mount', document.querySelector('main'), { name: 'dashboard', userId: 'alice' }]]);
});

test('registerWithFinch registers once when Finch calls the hook inside register', () => {
  const registered: unknown[] = [];
  let off = 0;
  const finch = {
    register: (_product: string, hook: FinchHook) => {
      hook(entry('header', 10, '1.0.0'));
      hook(entry('header', 11, '1.1.0'));
      return () => off++;
    },
  } as unknown as Finch;
  registerWithFinch(finch, (config) => registered.push(config), { name: 'header', activeWhen: '/', container: '#h' });
  expect(registered).toHaveLength(1);
  expect(off).toBe(1);
});

test('qiankun entry: dependencies then scripts as absolute URLs in manifest order, styles apart, the html container', () => {
  const chosen = entry('dashboard', 42, '2.0.0', {
    baseUrl: '/releases/dashboard/42/',
    dependencies: ['/shared/react.js'],
    files: ['main.css', 'vendor.js', 'main.js', 'theme.css', 'logo.svg'],
  });
  expect(qiankunEntry('dashboard', chosen, { base: 'https://shop.example/app/page' })).toEqual({
    scripts: [
      'https://shop.example/shared/react.js',
      'https://shop.example/releases/dashboard/42/vendor.js',
      'https://shop.example/releases/dashboard/42/main.js',
    ],
    styles: ['https://shop.example/releases/dashboard/42/main.css', 'https://shop.example/releases/dashboard/42/theme.css'],
    html: '<div id="finch-dashboard"></div>',
  });
  const cdn = entry('header', 7, '1.0.0', { baseUrl: 'https://cdn.example/header/7/', files: ['main.js'] });
  expect(qiankunEntry('header', cdn, { html: '<section id="h"></section>' })).toEqual({
    scripts: ['https://cdn.example/header/7/main.js'],
    styles: [],
    html: '<section id="h"></section>',
  });
});

test('qiankun entry refuses an ES-module build, which qiankun cannot run', () => {
  const esm = entry('dashboard', 42, '2.0.0', { files: ['main.mjs'] });
  expect(() => qiankunEntry('dashboard', esm)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  // A `.js` entry the build records as a module (what finch publish writes for Vite) is refused too.
  const vite = entry('dashboard', 43, '2.1.0', { files: ['assets/index.js'], scripts: { 'assets/index.js': 'module' } });
  expect(() => qiankunEntry('dashboard', vite)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  const classic = entry('dashboard', 44, '2.2.0', { files: ['app.js'], scripts: { 'app.js': 'classic' } });
  expect(qiankunEntry('dashboard', classic, { base: 'https://shop.example/' }).scripts).toHaveLength(1);
});

test('qiankunApp: the app object for the chosen build, null when Finch chose none', () => {
  const chosen = entry('dashboard', 42, '2.0.0', { baseUrl: '/releases/dashboard/42/', files: ['main.js'] });
  const { finch } = fakeFinch({ dashboard: chosen });
  expect(qiankunApp(finch, 'dashboard', { container: '#c', activeRule: '/dash', props: { userId: 'alice' }, base: 'https://shop.example/' })).toEqual({
    name: 'dashboard',
    entry: { scripts: ['https://shop.example/releases/dashboard/42/main.js'], styles: [], html: '<div id="finch-dashboard"></div>' },
    container: '#c',
    activeRule: '/dash',
    props: { userId: 'alice', version: '2.0.0', resourceId: 42 },
  });
  expect(qiankunApp(finch, 'header', { container: '#c' })).toBeNull();
});
