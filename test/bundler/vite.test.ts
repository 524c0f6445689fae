/**
 * finch-gray/vite with a real Vite build of a small React app (a lazy component with its own CSS, an
 * image): the Finch build manifest, the relative base, the lifecycle wrapper, the classic format, and
 * what `finch publish` makes of the output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build, type InlineConfig, type Plugin } from 'vite';
import { afterAll, describe, expect, test } from 'vitest';
import finch from '../../bundler/vite.js';
import type { ScriptFormat } from '../../bundler/options.js';
import { entryScript, FIXTURES, publishView, readManifest } from './buildFolder.js';

const ROOT = path.join(FIXTURES, 'vite-react');
const temp = mkdtempSync(path.join(tmpdir(), 'finch-vite-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Built {
  dir: string;
  /** The base Vite resolved. */
  base: string;
}

let count = 0;
async function viteBuild(format: ScriptFormat | undefined, extra: InlineConfig = {}): Promise<Built> {
  const dir = path.join(temp, `out-${count++}`);
  let base = '';
  const spy: Plugin = { name: 'spy', configResolved: (c) => void (base = c.base) };
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    // Vitest sets NODE_ENV=test, which would give the app React's development build.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    ...extra,
    plugins: [react(), finch({ product: 'dashboard', ...(format ? { format } : {}) }), spy],
    // Inline nothing, so the image is a file of its own as in a real app with real images.
    build: { outDir: dir, emptyOutDir: true, assetsInlineLimit: 0, ...extra.build },
  });
  return { dir, base };
}

const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();

describe('a self-mounting main.jsx, module format', () => {
  let built: Built;

  test('builds with base ./ and a manifest of the app\'s CSS then the wrapper script', async () => {
    built = await viteBuild(undefined);
    expect(built.base).toBe('./');
    const manifest = readManifest(built.dir);
    expect(manifest).toMatchObject({ finch: 1, product: 'dashboard', bundler: 'vite' });
    expect(manifest.entries.map((e) => [e.file.replace(/-[\w-]{8}\./, '-*.'), e.kind])).toEqual([
      ['assets/main-*.css', undefined],
      ['assets/index-*.js', 'module'],
    ]);
    // The lazy Details keeps its own chunk and stylesheet; the image is a file.
    const files = filesIn(built.dir);
    expect(files.filter((f) => /^assets\/Details-.*\.(js|css)$/.test(f))).toHaveLength(2);
    expect(files.some((f) => /^assets\/logo-.*\.png$/.test(f))).toBe(true);
  });

  test('the entry script registers the lifecycle and imports main.jsx only when mounted', () => {
    const manifest = readManifest(built.dir);
    const script = entryScript(built.dir, manifest);
    expect(script).toContain('window.FinchApps=window.FinchApps||{}');
    expect(script).toContain('.dashboard=');
    // main.jsx (with React) is a chunk of its own, imported from mount.
    expect(script).toMatch(/import\(`\.\/main-[\w-]+\.js`\)/);
    expect(script).not.toContain('createRoot');
    // Every URL in the output is relative: nothing names a base path.
    for (const f of filesIn(built.dir).filter((f) => /\.(js|css)$/.test(f))) {
      expect(readFileSync(path.join(built.dir, f), 'utf8'), f).not.toMatch(/["'`(]\/assets\//);
    }
  });

  test('finch publish reads the Finch manifest first and leaves it and index.html out', async () => {
    const { found, upload } = await publishView(built.dir);
    const manifest = readManifest(built.dir);
    expect(found).toEqual({
      source: 'finch build manifest',
      files: manifest.entries.map((e) => e.file),
      scripts: { [manifest.entries[1]!.file]: 'module' },
      consumed: ['.finch/build.json'],
    });
    expect(upload).not.toContain('.finch/build.json');
    expect(upload).not.toContain('index.html');
    expect(upload.filter((f) => f.startsWith('assets/'))).toHaveLength(upload.length);
  });
});

test('an entry that exports mount and unmount is used as the lifecycle, from build.rollupOptions.input', async () => {
  const { dir } = await viteBuild(undefined, { build: { rollupOptions: { input: path.join(ROOT, 'src/lifecycle.jsx') } } });
  const manifest = readManifest(dir);
  expect(manifest.entries.map((e) => [e.file.replace(/-[\w-]{8}\./, '-*.'), e.kind])).toEqual([
    ['assets/lifecycle-*.css', undefined],
    ['assets/lifecycle-*.js', 'module'],
  ]);
  const script = entryScript(dir, manifest);
  // The user's own mount creates the React root; no element is made for it and no import() waits.
  expect(script).toContain('createRoot');
  expect(script).not.toMatch(/import\(`\.\/lifecycle/);
});

test("format 'classic' builds one IIFE without import.meta, its CSS inside", async () => {
  const { dir } = await viteBuild('classic');
  const manifest = readManifest(dir);
  expect(manifest.entries).toHaveLength(1);
  expect(manifest.entries[0]).toMatchObject({ kind: 'classic' });
  const script = entryScript(dir, manifest);
  expect(script).toMatch(/^\(function\(\)\{/);
  expect(script).not.toContain('import.meta');
  // No chunk is imported: the lazy Details is inside.
  expect(script).not.toMatch(/\bimport\(\s*[`'"]/);
  expect(script).toContain('data-chunk-version');
  expect(script).not.toMatch(/^\s*(import|export)\b/m);
  // Asset URLs come from the script's own URL, kept when it started (lazy modules run at mount).
  const logoUrls = [...script.matchAll(/new URL\(`logo-[\w-]+\.png`,([^)]*)\)/g)].map((m) => m[1]);
  expect(logoUrls.length).toBeGreaterThan(0);
  for (const base of logoUrls) expect(base).toMatch(/^typeof (\w+)==`string`\?\1:document\.currentScript/);
  // Without a current script (qiankun evaluates the text), the build's folder from window.FinchBase.
  expect(script).toMatch(/document\.currentScript\.src\|\|window\.FinchBase&&window\.FinchBase\.dashboard&&new URL\(`assets\/`/);
  expect(filesIn(dir).filter((f) => f.endsWith('.js'))).toEqual([manifest.entries[0]!.file]);
  const { found } = await publishView(dir);
  expect(found?.scripts).toEqual({ [manifest.entries[0]!.file]: 'classic' });
});

test.each(['/apps/dashboard/', 'https://cdn.example.com/dashboard/'])('base %s is refused before building, saying why and what to set', async (base) => {
  const err = await viteBuild(undefined, { base }).then(() => null, (e: unknown) => e);
  expect(err).toMatchObject({ name: 'FinchError', code: 'invalid-input' });
  expect((err as Error).message).toContain(`base is "${base}"`);
  expect((err as Error).message).toMatch(/service worker controls the page; without it .* 404/);
  expect((err as Error).message).toContain("Leave base unset (Finch sets './') or set base: './'.");
});

test('an explicit relative base is kept', async () => {
  const { base } = await viteBuild(undefined, { base: './' });
  expect(base).toBe('./');
});
