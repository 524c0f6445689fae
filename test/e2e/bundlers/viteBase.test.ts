// Vite's `base` decides where a build's chunks and assets are looked for. Finch serves each build from
// its own versioned folder and through the worker's virtual path, so only a base relative to the entry
// script works from both: the Finch plugin refuses an absolute one at build time, naming the setting.
// The flows in flows.test.ts run the plugin's default, './'.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { viteBuild } from './bundlers.js';

let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'finch-bundlers-base-'));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

test("base '/apps/vite-react/' fails the build with an error that names base and what to set", async () => {
  const run = await viteBuild('vite-react', join(outDir, 'absolute'), { VITE_APP_VERSION: '1.0.0' }, ['--base', '/apps/vite-react/']);
  expect(run.code).not.toBe(0);
  const output = run.stdout + run.stderr;
  expect(output).toContain('base is "/apps/vite-react/"');
  expect(output).toContain("base: './'");
  // Nothing half-built is left to publish by mistake.
  expect(existsSync(join(outDir, 'absolute', '.finch', 'build.json'))).toBe(false);
});

test("base './' builds, with the Finch build manifest naming the entry", async () => {
  const dir = join(outDir, 'relative');
  const run = await viteBuild('vite-react', dir, { VITE_APP_VERSION: '1.0.0' }, ['--base', './']);
  expect(run.code, run.stderr).toBe(0);
  const manifest = JSON.parse(await readFile(join(dir, '.finch', 'build.json'), 'utf8')) as { product: string; entries: Array<{ file: string; kind?: string }> };
  expect(manifest.product).toBe('vite-react');
  expect(manifest.entries.filter((e) => e.kind === 'module')).toHaveLength(1);
});
