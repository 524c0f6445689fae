/**
 * The generated lifecycle wrapper run as it is, in Node, against a small fake `window` and `document`:
 * the real browser behaviour is the browser tests' part; here, its logic (when the entry runs, where the
 * root element goes, what unmount and a second mount do, qiankun's shape).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { entryLifecycle, lifecycleEntry, type LifecycleEntryOptions } from '../../bundler/lifecycleEntry.js';
import { checkOptions } from '../../bundler/options.js';

class FakeElement {
  id = '';
  parent: FakeElement | null = null;
  children: FakeElement[] = [];
  constructor(readonly tag: string) {}
  appendChild(child: FakeElement): FakeElement {
    child.remove();
    child.parent = this;
    this.children.push(child);
    return child;
  }
  remove(): void {
    if (this.parent !== null) this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = null;
  }
  find(id: string): FakeElement | null {
    if (this.id === id) return this;
    for (const c of this.children) {
      const hit = c.find(id);
      if (hit !== null) return hit;
    }
    return null;
  }
}

interface Lifecycle {
  bootstrap(props?: unknown): unknown;
  mount(el: unknown, props?: unknown): unknown;
  unmount(el: unknown, props?: unknown): unknown;
}

const g = globalThis as unknown as Record<string, unknown>;
const temp = mkdtempSync(path.join(tmpdir(), 'finch-lifecycle-'));
let body: FakeElement;
let n = 0;

beforeEach(() => {
  body = new FakeElement('body');
  g['window'] = {};
  g['document'] = { body, createElement: (tag: string) => new FakeElement(tag), getElementById: (id: string) => body.find(id) };
  g['entryRuns'] = [];
});
afterEach(() => {
  for (const k of ['window', 'document', 'entryRuns']) delete g[k];
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Writes the user's entry and the wrapper around it, then runs the wrapper as the page would; returns the window. */
async function load(entrySource: string, options: Partial<LifecycleEntryOptions> = {}): Promise<Record<string, Lifecycle>> {
  const id = n++;
  const entry = path.join(temp, `entry-${id}.mjs`);
  writeFileSync(entry, entrySource);
  const wrapper = path.join(temp, `wrapper-${id}.mjs`);
  writeFileSync(wrapper, lifecycleEntry({ product: 'dashboard', rootId: 'app-root', entry: pathToFileURL(entry).href, lifecycle: 'self-mounting', bootstrap: false, qiankun: false, ...options }));
  await import(/* @vite-ignore */ pathToFileURL(wrapper).href);
  return g['window'] as Record<string, Lifecycle>;
}

const SELF_MOUNTING = `globalThis.entryRuns.push(document.getElementById('app-root'));`;

describe('a self-mounting entry', () => {
  test('runs on the first mount only, into a root element made inside the mount element', async () => {
    const app = (await load(SELF_MOUNTING) as unknown as { FinchApps: Record<string, Lifecycle> }).FinchApps['dashboard']!;
    expect(g['entryRuns']).toEqual([]);
    const el = body.appendChild(new FakeElement('section'));
    await app.bootstrap({});
    await app.mount(el, {});
    const root = el.children[0]!;
    expect(root).toMatchObject({ tag: 'div', id: 'app-root' });
    // The entry ran once, and found its root already in the page.
    expect(g['entryRuns']).toEqual([root]);
  });

  test('unmount detaches the root; a later mount attaches the same root without running the entry again', async () => {
    const app = (await load(SELF_MOUNTING) as unknown as { FinchApps: Record<string, Lifecycle> }).FinchApps['dashboard']!;
    const first = body.appendChild(new FakeElement('section'));
    await app.mount(first, {});
    const root = first.children[0]!;
    await app.unmount(first, {});
    expect(first.children).toEqual([]);
    expect(root.parent).toBeNull();
    const second = body.appendChild(new FakeElement('section'));
    await app.mount(second, {});
    expect(second.children).toEqual([root]);
    expect(g['entryRuns']).toHaveLength(1);
  });

  test('a failed start removes the root, and the next mount starts again', async () => {
    const app = (await load(SELF_MOUNTING, { entry: pathToFileURL(path.join(temp, 'missing.mjs')).href }) as unknown as { FinchApps: Record<string, Lifecycle> }).FinchApps['dashboard']!;
    const el = body.appendChild(new FakeElement('section'));
    await expect(app.mount(el, {})).rejects.toThrow();
    expect(el.children).toEqual([]);
    await expect(app.mount(el, {})).rejects.toThrow();
    expect(el.children).toEqual([]);
  });
});

test("an entry's own mount, unmount and bootstrap are called with the element and props", async () => {
  const source = `export const calls = globalThis.entryRuns;
export function bootstrap(props) { calls.push(['bootstrap', props]); }
export function mount(el, props) { calls.push(['mount', el.tag, props]); }
export function unmount(el, props) { calls.push(['unmount', el.tag, props]); }`;
  const w = await load(source, { lifecycle: 'exported', bootstrap: true }) as unknown as { FinchApps: Record<string, Lifecycle> };
  const app = w.FinchApps['dashboard']!;
  const el = new FakeElement('section');
  await app.bootstrap({ a: 1 });
  await app.mount(el, { b: 2 });
  await app.unmount(el, { c: 3 });
  expect(g['entryRuns']).toEqual([['bootstrap', { a: 1 }], ['mount', 'section', { b: 2 }], ['unmount', 'section', { c: 3 }]]);
  expect(body.children).toEqual([]);
});

// qiankun calls these as they are and refuses a bootstrap, mount or unmount that returns no promise
// (single-spa's error #15), so each is called without await and must hand back a promise itself.
describe.each([
  ['self-mounting', { lifecycle: 'self-mounting' }],
  ['exported without bootstrap', { lifecycle: 'exported', bootstrap: false }],
  ['exported with bootstrap', { lifecycle: 'exported', bootstrap: true }],
] as const)('every lifecycle function returns a promise: %s entry', (_name, options) => {
  const source = options.lifecycle === 'self-mounting' ? SELF_MOUNTING : 'export function bootstrap() {}\nexport function mount() {}\nexport function unmount() {}';

  test('on window.FinchApps[product]', async () => {
    const app = (await load(source, options) as unknown as { FinchApps: Record<string, Lifecycle> }).FinchApps['dashboard']!;
    const el = body.appendChild(new FakeElement('section'));
    const results = [app.bootstrap({}), app.mount(el, {}), app.unmount(el, {})];
    for (const result of results) expect(result).toBeInstanceOf(Promise);
    await Promise.all(results);
  });

  test('on window[product], for qiankun', async () => {
    const w = await load(source, { ...options, qiankun: true }) as unknown as Record<string, { bootstrap(props: unknown): unknown; mount(props: unknown): unknown; unmount(props: unknown): unknown }>;
    const container = body.appendChild(new FakeElement('div'));
    const results = [w['dashboard']!.bootstrap({}), w['dashboard']!.mount({ container }), w['dashboard']!.unmount({ container })];
    for (const result of results) expect(result).toBeInstanceOf(Promise);
    await Promise.all(results);
  });
});

describe('classic builds for qiankun', () => {
  test("also set qiankun's lifecycles on window[product], mounting into props.container", async () => {
    const w = await load(SELF_MOUNTING, { qiankun: true }) as unknown as Record<string, { mount(props: unknown): unknown; unmount(props: unknown): unknown }>;
    const container = body.appendChild(new FakeElement('div'));
    await w['dashboard']!.mount({ container, name: 'dashboard' });
    expect(container.children[0]).toMatchObject({ id: 'app-root' });
    await w['dashboard']!.unmount({ container });
    expect(container.children).toEqual([]);
  });

  test('leave a name the window already has alone', async () => {
    const existing = { mine: true };
    g['window'] = { dashboard: existing };
    const w = await load(SELF_MOUNTING, { qiankun: true }) as unknown as Record<string, unknown>;
    expect(w['dashboard']).toBe(existing);
    expect((w['FinchApps'] as Record<string, unknown>)['dashboard']).toBeDefined();
  });
});

describe('entryLifecycle', () => {
  test.each([
    [['mount', 'unmount'], 'exported'],
    [['bootstrap', 'mount', 'unmount', 'default'], 'exported'],
    [[], 'self-mounting'],
    [['default', 'App'], 'self-mounting'],
  ])('exports %j make the entry %s', (exports, kind) => {
    expect(entryLifecycle(exports, 'src/main.jsx', 'test')).toBe(kind);
  });

  test.each([
    [['mount'], /exports mount but not unmount/],
    [['unmount'], /exports unmount but not mount/],
    [['*'], /export \*\)/],
  ])('exports %j are refused', (exports, message) => {
    expect(() => entryLifecycle(exports, 'src/main.jsx', 'test')).toThrow(message);
  });
});

describe('checkOptions', () => {
  test('fills rootId', () => {
    expect(checkOptions({ product: 'dashboard' }, 'test')).toEqual({ product: 'dashboard', rootId: 'root', format: undefined });
  });

  test.each([
    [undefined, /options object/],
    [{}, /product undefined is not a product name/],
    [{ product: 'Dashboard' }, /lower-case letters/],
    [{ product: 'dashboard', rootId: 'my root' }, /rootId "my root" is not an element id/],
    [{ product: 'dashboard', format: 'umd' }, /neither 'module' nor 'classic'/],
    [{ product: 'dashboard', base: './' }, /unknown option "base"/],
  ])('%j is refused as invalid-input', (options, message) => {
    let err: unknown;
    try {
      checkOptions(options, 'test');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: 'FinchError', code: 'invalid-input' });
    expect((err as Error).message).toMatch(message);
  });
});
