/**
 * Entries from the Finch build manifest, `.finch/build.json`, which `finch-gray/vite` and
 * `finch-gray/webpack` write: the entry files in load order, each script's kind, and the hash of each
 * file. The hashes are checked against the files here, so a folder holding another build's manifest
 * (a stale copy, a partial rebuild) is refused instead of published with the wrong entries.
 */
import { createHash } from 'node:crypto';
import { FINCH_BUILD_MANIFEST, parseBuildManifest } from '../../../core/buildManifest.js';
import { FinchError } from '../../../core/FinchError.js';
import { type BuildListing, type FoundEntries, type ScriptKind } from './FoundEntries.js';
import { VITE_MANIFEST } from './viteManifest.js';

export { FINCH_BUILD_MANIFEST } from '../../../core/buildManifest.js';

/** How `finch publish` names this source of entries to the user. */
export const FINCH_BUILD_SOURCE = 'finch build manifest';

/** A listing that can also give a file's bytes; one without (an in-memory listing) is hashed from its text. */
export type ReadableBuild = BuildListing & { read?(file: string): Promise<Uint8Array> };

/**
 * The product a build folder's Finch build manifest names, or null when the folder has none (or one
 * without a readable product, which reading its entries reports).
 */
export function productOfManifest(text: string): string | null {
  try {
    const product = (JSON.parse(text) as { product?: unknown } | null)?.product;
    return typeof product === 'string' ? product : null;
  } catch {
    return null;
  }
}

async function bytesOf(build: ReadableBuild, file: string): Promise<Uint8Array> {
  return build.read !== undefined ? build.read(file) : Buffer.from(await build.readText(file), 'utf8');
}

export async function fromFinchBuildManifest(build: ReadableBuild): Promise<FoundEntries | null> {
  if (!build.files.includes(FINCH_BUILD_MANIFEST)) return null;
  const manifest = parseBuildManifest(await build.readText(FINCH_BUILD_MANIFEST));
  const scripts: Record<string, ScriptKind> = {};
  for (const entry of manifest.entries) {
    if (!build.files.includes(entry.file)) {
      throw new FinchError('invalid-input', `Failed to find the entry files: ${FINCH_BUILD_MANIFEST} names ${entry.file}, which is not in the build. Publish the whole output folder of one build.`);
    }
    const actual = `sha384-${createHash('sha384').update(await bytesOf(build, entry.file)).digest('base64')}`;
    if (actual !== entry.integrity) {
      throw new FinchError('invalid-input', `Failed to check the entry files: ${entry.file} is not the file ${FINCH_BUILD_MANIFEST} was written for (its hash differs), so the folder mixes two builds. Rebuild, then publish the fresh output folder.`, { file: entry.file });
    }
    if (entry.kind !== undefined) scripts[entry.file] = entry.kind;
  }
  return {
    source: FINCH_BUILD_SOURCE,
    // Kept in the manifest's order: the plugin wrote stylesheets first and scripts in load order.
    files: manifest.entries.map((e) => e.file),
    scripts,
    consumed: [FINCH_BUILD_MANIFEST, ...(build.files.includes(VITE_MANIFEST) ? [VITE_MANIFEST] : [])],
  };
}
