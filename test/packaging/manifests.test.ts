/**
 * The two packages as npm would publish them, read from `npm pack --dry-run` after the build: the browser
 * package `finch-gray` (packages/finch-gray) holds browser files only, the server package
 * `finch-gray-server` (the repository root) holds the compiled control plane, its command and the
 * prepared database cluster, and each declares exactly the packages its shipped files import.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BROWSER_DIR, ROOT, bareImports, pack, readManifest } from './npm.js';

const root = readManifest(ROOT);
const browser = readManifest(BROWSER_DIR);

/** Every package imported by the shipped files of the package in `dir` that are JavaScript or declarations. */
function importsOf(dir: string, files: string[]): string[] {
  const code = files.filter((f) => /\.(m?js|d\.ts)$/.test(f));
  return [...new Set(code.flatMap((f) => bareImports(readFileSync(`${dir}/${f}`, 'utf8'))))].sort();
}

describe('the browser package finch-gray', () => {
  const { files } = pack(BROWSER_DIR, null);

  test('ships the bundles, the bundler plugins, their declarations and core, and no server file', () => {
    const outside = files.filter(
      (f) => !['README.md', 'package.json'].includes(f) && !/^dist\/(finch(-sw|-single-spa|-qiankun)?\.m?js|vite\.js|webpack\.js)$/.test(f) && !f.startsWith('dist/types/') && !f.startsWith('dist/core/'),
    );
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.includes('server'))).toEqual([]);
    for (const target of Object.values(browser.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) {
      expect(files, target).toContain(target.replace(/^\.\//, ''));
    }
  });

  test('declares exactly the packages its files import', () => {
    const declared = [...Object.keys(browser.dependencies ?? {}), ...Object.keys(browser.peerDependencies ?? {})];
    expect(declared.sort()).toEqual(importsOf(BROWSER_DIR, files));
  });

  test('asks for vite and webpack only as optional peers: the bundler plugins read their types, a page needs neither', () => {
    expect(Object.keys(browser.peerDependencies ?? {}).sort()).toEqual(['vite', 'webpack']);
    expect(browser.peerDependenciesMeta).toEqual({ vite: { optional: true }, webpack: { optional: true } });
    // Only declarations name them; the plugins' JavaScript imports Node's built-ins alone.
    expect(importsOf(BROWSER_DIR, files.filter((f) => f.endsWith('.js') && !f.startsWith('dist/types/')))).not.toEqual(expect.arrayContaining(['vite']));
    expect(importsOf(BROWSER_DIR, ['dist/vite.js', 'dist/webpack.js'])).toEqual([]);
  });

  test('has the version and the dependency ranges the repository develops and tests with', () => {
    expect(browser.version).toBe(root.version);
    const repoRanges = { ...root.devDependencies, ...root.dependencies };
    for (const [name, range] of Object.entries(browser.dependencies ?? {})) expect(range, name).toBe(repoRanges[name]);
  });
});

describe('the server package finch-gray-server', () => {
  const { files } = pack(ROOT, null);

  test('ships the command, the compiled server with its migrations and prepared cluster, and the worker, SDK and console it serves', () => {
    expect(root.bin).toEqual({ finch: './bin/finch.js' });
    expect(files).toEqual(
      expect.arrayContaining(['bin/finch.js', 'dist/node/server/cli.js', 'dist/node/server/main.js', 'dist/finch-sw.js', 'dist/finch.js', 'dist/console/index.html']),
    );
    // The console's page names its hashed script and stylesheet; both ship beside it.
    const page = readFileSync(`${ROOT}/dist/console/index.html`, 'utf8');
    for (const [, file] of page.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) expect(files).toContain(`dist/console/${file}`);
    // The bundler plugins belong to the browser package alone.
    expect(files.filter((f) => f.startsWith('dist/bundler/'))).toEqual([]);
    expect(files.filter((f) => /^dist\/node\/server\/db\/pglite-cluster-.+\.tar\.gz$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^dist\/node\/server\/db\/migrations\/.+\.sql$/.test(f)).length).toBeGreaterThan(0);
  });

  test('pins PGlite to the version its prepared cluster was made with (another version would run initdb)', () => {
    const archive = files.find((f) => f.includes('/pglite-cluster-'));
    expect(archive).toMatch(/pglite-cluster-(\d+\.\d+\.\d+)\.tar\.gz$/);
    expect(root.dependencies?.['@electric-sql/pglite']).toBe(/pglite-cluster-(.+)\.tar\.gz$/.exec(archive!)![1]);
  });

  test('ships no source, test, demo, browser package or type declarations of the browser files', () => {
    const topLevel = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(topLevel.filter((name) => !['README.md', 'bin', 'dist', 'package.json'].includes(name!))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/types/'))).toEqual([]);
  });

  test('declares every package its compiled code imports as a dependency, not a development one', () => {
    const undeclared = importsOf(ROOT, files).filter((name) => !(name in (root.dependencies ?? {})));
    expect(undeclared).toEqual([]);
  });
});
