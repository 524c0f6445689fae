/**
 * Writes the Finch build manifest (its format: core/buildManifest.ts) from what the bundler emitted.
 * `finch publish` reads it before any other record of the build, checks the hashes against the
 * files, and leaves it out of the upload.
 */
import { createHash } from 'node:crypto';
import type { BuildManifest, BuildManifestEntry } from '../core/buildManifest.js';
import type { ScriptFormat } from './options.js';

export { FINCH_BUILD_MANIFEST } from '../core/buildManifest.js';

export function integrityOf(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

export interface ManifestInput {
  product: string;
  bundler: 'vite' | 'webpack';
  /** The entry's stylesheets in load order; repeats are dropped. */
  styles: readonly string[];
  /** The entry scripts in load order (webpack may split an entry into several). */
  scripts: readonly string[];
  kind: ScriptFormat;
  /** The bytes of an output file as written. */
  bytesOf(file: string): Uint8Array;
}

export function buildManifest(input: ManifestInput): BuildManifest {
  const entry = (file: string, kind?: ScriptFormat): BuildManifestEntry => ({ file, ...(kind ? { kind } : {}), integrity: integrityOf(input.bytesOf(file)) });
  return {
    finch: 1,
    product: input.product,
    bundler: input.bundler,
    entries: [...[...new Set(input.styles)].map((f) => entry(f)), ...input.scripts.map((f) => entry(f, input.kind))],
  };
}

/** The file's text: indented, so a CI log or a review reads it. */
export function manifestText(manifest: BuildManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
