/** Reading what a bundler wrote: the Finch build manifest, every file checked against it. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { type BuildManifest, parseBuildManifest } from '../../core/buildManifest.js';
import { readBuildDir } from '../../server/cli/packDir.js';
import { findEntries } from '../../server/cli/buildOutput/findEntries.js';
import { selectUpload } from '../../server/cli/buildOutput/uploadSelection.js';

/** The fixture apps the browser tests load too (test/fixtures/apps): one copy of each app. */
export const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/apps');

/** The manifest of `dir`, after checking its format and that each entry exists and its integrity is its bytes'. */
export function readManifest(dir: string): BuildManifest {
  // Parsed as finch publish parses it, so a plugin writing what the reader refuses fails here.
  const manifest = parseBuildManifest(readFileSync(path.join(dir, '.finch/build.json'), 'utf8'));
  for (const entry of manifest.entries) {
    const file = path.join(dir, entry.file);
    expect(existsSync(file), entry.file).toBe(true);
    expect(entry.integrity).toBe(`sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`);
  }
  return manifest;
}

/** What `finch publish` finds in `dir`: the entries, and the files it would upload. */
export async function publishView(dir: string): Promise<{ found: Awaited<ReturnType<typeof findEntries>>; upload: string[] }> {
  const build = await readBuildDir(dir);
  const found = await findEntries(build);
  return { found, upload: selectUpload(build.files, found?.consumed ?? [], false).upload };
}

/** The text of the manifest's last script: the wrapper, which runs last. */
export function entryScript(dir: string, manifest: BuildManifest): string {
  const last = manifest.entries.filter((e) => e.kind !== undefined).at(-1);
  expect(last, 'a script entry').toBeDefined();
  return readFileSync(path.join(dir, last!.file), 'utf8');
}
