/**
 * `finch publish` reading a Finch build manifest from a build folder: the entries it names, the hashes
 * checked against the files, and the product it was built for.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildManifest, manifestText } from '../../bundler/buildManifest.js';
import { parseBuildManifest } from '../../core/buildManifest.js';
import { readBuildDir } from '../../server/cli/packDir.js';
import { findEntries } from '../../server/cli/buildOutput/findEntries.js';
import { resolvePublishOptions } from '../../server/cli/publishOptions.js';

const temp = mkdtempSync(path.join(tmpdir(), 'finch-publish-manifest-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const sri = (text: string): string => `sha384-${createHash('sha384').update(text).digest('base64')}`;
const CSS = '.app{color:red}';
const JS = '(window.FinchApps=window.FinchApps||{}).dashboard={};';

let n = 0;
/** A build folder with `files` and a Finch manifest (`manifest` replaces fields of the good one). */
function folder(manifest: Record<string, unknown> = {}, files: Record<string, string> = {}): string {
  const dir = path.join(temp, `build-${n++}`);
  const all: Record<string, string> = {
    'assets/index.css': CSS,
    'assets/index.js': JS,
    'assets/chunk.js': 'export {}',
    '.finch/build.json': JSON.stringify({
      finch: 1, product: 'dashboard', bundler: 'vite',
      entries: [{ file: 'assets/index.css', integrity: sri(CSS) }, { file: 'assets/index.js', kind: 'module', integrity: sri(JS) }],
      ...manifest,
    }),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const entriesOf = async (dir: string) => findEntries(await readBuildDir(dir));

describe('findEntries with a Finch build manifest', () => {
  test('takes its entries before any other record, and consumes it and a Vite manifest', async () => {
    const dir = folder({}, { '.vite/manifest.json': JSON.stringify({ 'src/main.js': { file: 'assets/chunk.js', isEntry: true } }), 'index.html': '<script type="module" src="/assets/chunk.js"></script>' });
    expect(await entriesOf(dir)).toEqual({
      source: 'finch build manifest',
      files: ['assets/index.css', 'assets/index.js'],
      scripts: { 'assets/index.js': 'module' },
      consumed: ['.finch/build.json', '.vite/manifest.json'],
    });
  });

  test('a file that is not the one the manifest was written for is refused: rebuild', async () => {
    const dir = folder({}, { 'assets/index.js': `${JS}// edited after the build` });
    await expect(entriesOf(dir)).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/assets\/index\.js is not the file .* Rebuild/) });
  });

  test('a file the manifest names but the folder lacks is refused', async () => {
    const dir = folder({ entries: [{ file: 'assets/gone.js', kind: 'classic', integrity: sri('x') }] });
    await expect(entriesOf(dir)).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('names assets/gone.js, which is not in the build') });
  });

  test.each([
    [{ finch: 2 }, /"finch" is 2/],
    [{ product: 'Dash Board' }, /"product" "Dash Board" is not a product name/],
    [{ entries: [] }, /"entries" is not a list of files/],
    [{ entries: [{ file: 'assets/index.js', kind: 'umd', integrity: sri(JS) }] }, /"kind" of assets\/index\.js/],
    [{ entries: [{ file: 'assets/index.js', integrity: 'md5-x' }] }, /"integrity" of assets\/index\.js is not a sha384 hash/],
  ])('a manifest with %j is refused', async (fields, message) => {
    await expect(entriesOf(folder(fields))).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(message) });
  });

  test('a manifest that is not JSON is refused', async () => {
    await expect(entriesOf(folder({}, { '.finch/build.json': '{"finch": 1,' }))).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/\.finch\/build\.json: it is not JSON/) });
  });
});

test('what the bundler plugins write is what finch publish parses', () => {
  const bytes: Record<string, string> = { 'assets/index.css': CSS, 'assets/index.js': JS };
  const written = buildManifest({ product: 'dashboard', bundler: 'webpack', styles: ['assets/index.css', 'assets/index.css'], scripts: ['assets/index.js'], kind: 'classic', bytesOf: (f) => Buffer.from(bytes[f]!) });
  expect(parseBuildManifest(manifestText(written))).toEqual({
    finch: 1, product: 'dashboard', bundler: 'webpack',
    entries: [{ file: 'assets/index.css', integrity: sri(CSS) }, { file: 'assets/index.js', kind: 'classic', integrity: sri(JS) }],
  });
});

describe('the product of a build with a Finch manifest', () => {
  test('is the product when none is given', async () => {
    const dir = folder();
    expect((await resolvePublishOptions({ dir })).product).toBe('dashboard');
  });

  test('given as --product, must be the one the build was made for', async () => {
    const dir = folder();
    expect((await resolvePublishOptions({ dir, product: 'dashboard' })).product).toBe('dashboard');
    await expect(resolvePublishOptions({ dir, product: 'header' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/made for the product "dashboard" .* not "header".*rebuild with finch\(\{ product: 'header' \}\)/),
    });
  });

  test('from finch.config.json is checked the same way', async () => {
    const dir = folder({}, { 'finch.config.json': JSON.stringify({ product: 'header' }) });
    await expect(resolvePublishOptions({ dir })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  test('without a Finch manifest, nothing is filled in', async () => {
    const dir = path.join(temp, 'plain');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'main.js'), JS);
    expect((await resolvePublishOptions({ dir })).product).toBeUndefined();
  });
});
