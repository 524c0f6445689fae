/**
 * FinchWebpackPlugin with real webpack 5 builds of a small app (a lazy module with its own CSS through
 * mini-css-extract-plugin, an image as an asset module): the Finch build manifest, publicPath 'auto',
 * the lifecycle wrapper, module output, and what `finch publish` makes of the output.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import webpack, { type Configuration, type Stats } from 'webpack';
import { afterAll, describe, expect, test } from 'vitest';
import { FinchWebpackPlugin } from '../../bundler/webpack.js';
import type { FinchBundlerOptions } from '../../bundler/options.js';
import { entryScript, FIXTURES, publishView, readManifest } from './buildFolder.js';

const temp = mkdtempSync(path.join(tmpdir(), 'finch-webpack-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let count = 0;
function webpackBuild(extra: Configuration = {}, options: Partial<FinchBundlerOptions> = {}): Promise<{ dir: string; publicPath: unknown }> {
  const dir = path.join(temp, `out-${count++}`);
  const config: Configuration = {
    mode: 'production',
    context: path.join(FIXTURES, 'webpack-app'),
    entry: './src/index.js',
    ...extra,
    output: { path: dir, filename: '[name].[contenthash].js', ...extra.output },
    module: {
      rules: [
        { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
        { test: /\.png$/, type: 'asset/resource' },
      ],
    },
    plugins: [new MiniCssExtractPlugin({ filename: '[name].[contenthash].css' }), new FinchWebpackPlugin({ product: 'dashboard', ...options })],
  };
  return new Promise((resolve, reject) => {
    let compiler: webpack.Compiler;
    try {
      compiler = webpack(config);
    } catch (err) {
      reject(err);
      return;
    }
    compiler.run((err, stats?: Stats) => {
      compiler.close(() => undefined);
      if (err) reject(err);
      else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })));
      else resolve({ dir, publicPath: compiler.options.output.publicPath });
    });
  });
}

const strip = (file: string): string => file.replace(/[0-9a-f]{20}/, '*');

describe('a self-mounting entry', () => {
  let dir = '';

  test("builds with publicPath 'auto' and a manifest of the app's CSS then the classic entry script", async () => {
    const built = await webpackBuild();
    dir = built.dir;
    expect(built.publicPath).toBe('auto');
    const manifest = readManifest(dir);
    expect(manifest).toMatchObject({ finch: 1, product: 'dashboard', bundler: 'webpack' });
    const entries = manifest.entries.map((e) => [strip(e.file), e.kind]);
    // The app (index.js, its CSS) sits in the lazy chunk the wrapper imports on mount; its CSS loads first.
    expect(entries).toHaveLength(2);
    expect(entries[0]![0]).toMatch(/^\d+\.\*\.css$/);
    expect(entries[1]).toEqual(['main.*.js', 'classic']);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.css'))).toHaveLength(2);
    expect(files.some((f) => f.endsWith('.png'))).toBe(true);
  });

  test('the entry script registers the lifecycle and starts the app only from mount', () => {
    const script = entryScript(dir, readManifest(dir));
    expect(script).toContain('window.FinchApps=window.FinchApps||{}');
    expect(script).toContain('.dashboard=');
    expect(script).not.toContain('getElementById("root")');
    // Chunks register on a global of this product, not one shared with other webpack apps on the page.
    expect(script).toContain('webpackChunkfinch_dashboard');
    // Without a current script (qiankun evaluates the text), the public path comes from window.FinchBase.
    expect(script).toMatch(/window\.FinchBase&&window\.FinchBase\.dashboard;!document\.currentScript&&\w+&&\(\w+\.p=\w+\)/);
  });

  test('finch publish reads the Finch manifest first and leaves it out of the upload', async () => {
    const { found, upload } = await publishView(dir);
    const manifest = readManifest(dir);
    expect(found).toEqual({
      source: 'finch build manifest',
      files: manifest.entries.map((e) => e.file),
      scripts: { [manifest.entries[1]!.file]: 'classic' },
      consumed: ['.finch/build.json'],
    });
    expect(upload).not.toContain('.finch/build.json');
    expect(upload).toEqual(expect.arrayContaining(manifest.entries.map((e) => e.file)));
  });
});

test('an entry that exports mount and unmount is used as the lifecycle', async () => {
  const { dir } = await webpackBuild({ entry: './src/lifecycle.js' });
  const manifest = readManifest(dir);
  expect(manifest.entries.map((e) => [strip(e.file), e.kind])).toEqual([['main.*.css', undefined], ['main.*.js', 'classic']]);
  const script = entryScript(dir, manifest);
  // The entry's own mount writes the markup; the wrapper makes no root element for it.
  expect(script).toContain('alt="logo"');
  expect(script).not.toContain('id="root"');
  expect(script).not.toMatch(/\.id="root"/);
});

test('module output is recorded as module scripts', async () => {
  const { dir } = await webpackBuild({ experiments: { outputModule: true }, output: { module: true } });
  const manifest = readManifest(dir);
  expect(manifest.entries.at(-1)).toMatchObject({ kind: 'module' });
  const script = entryScript(dir, manifest);
  expect(script).toMatch(/import\.meta\.url/);
  expect(script).not.toContain('FinchBase');
});

test.each([
  ['/apps/dashboard/', /an absolute URL.*service worker controls the page; without it .* 404/],
  ['https://cdn.example.com/dashboard/', /an absolute URL/],
  ['', /resolve against the host page/],
])('output.publicPath %j is refused, saying what to set', async (publicPath, why) => {
  const err = await webpackBuild({ output: { publicPath } }).then(() => null, (e: unknown) => e);
  expect(err).toMatchObject({ name: 'FinchError', code: 'invalid-input' });
  expect((err as Error).message).toMatch(why);
  expect((err as Error).message).toContain("Leave output.publicPath unset (Finch sets 'auto') or set it to 'auto'.");
});

test("format 'module' without module output is refused", async () => {
  const err = await webpackBuild({}, { format: 'module' }).then(() => null, (e: unknown) => e);
  expect(err).toMatchObject({ code: 'invalid-input' });
  expect((err as Error).message).toContain('experiments.outputModule');
});

test('several entries are refused: a micro-frontend has one', async () => {
  const err = await webpackBuild({ entry: { a: './src/index.js', b: './src/lifecycle.js' } }).then(() => null, (e: unknown) => e);
  expect((err as Error).message).toMatch(/has 2 entries \(a, b\)/);
});
