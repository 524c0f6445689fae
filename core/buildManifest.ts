/**
 * The Finch build manifest, `.finch/build.json` in a build's output folder: the files a page loads
 * first, in order, how each script runs, and the hash of each. The bundler plugins write it and
 * `finch publish` reads it; both take the format from here.
 */
import { FinchError } from './FinchError.js';
import { PRODUCT_NAME, type ScriptKind } from './manifest.js';

/** Where the manifest sits in the output folder, with `/`. */
export const FINCH_BUILD_MANIFEST = '.finch/build.json';

export interface BuildManifestEntry {
  /** Path in the output folder, with `/`. */
  file: string;
  /** Scripts only: how the page runs it. */
  kind?: ScriptKind;
  /** `sha384-…` of the file's bytes. */
  integrity: string;
}

export interface BuildManifest {
  /** The format's version. */
  finch: 1;
  /** The product the build was made for: its lifecycle registers under this name. */
  product: string;
  /** The bundler that wrote it (`vite`, `webpack`), for people reading it. */
  bundler: string;
  /** Stylesheets, then the entry scripts, in load order. */
  entries: BuildManifestEntry[];
}

const SRI = /^sha384-[A-Za-z0-9+/]{64}$/;

/**
 * The manifest in `text`, checked field by field; an `invalid-input` FinchError names the first field
 * that is wrong.
 * @param file how the messages name the file. @default FINCH_BUILD_MANIFEST
 */
export function parseBuildManifest(text: string, file: string = FINCH_BUILD_MANIFEST): BuildManifest {
  const bad = (why: string): never => {
    throw new FinchError('invalid-input', `Failed to read ${file}: ${why}. Rebuild with finch-gray's bundler plugin, or name the entry files with --files.`, { file });
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return bad(`it is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return bad('it is not an object');
  const m = json as Record<string, unknown>;
  if (m['finch'] !== 1) bad(`"finch" is ${JSON.stringify(m['finch'])}, and this version of Finch reads version 1`);
  if (typeof m['product'] !== 'string' || !PRODUCT_NAME.test(m['product'])) bad(`"product" ${JSON.stringify(m['product'])} is not a product name`);
  if (typeof m['bundler'] !== 'string') bad('"bundler" is not text');
  if (!Array.isArray(m['entries']) || m['entries'].length === 0) bad('"entries" is not a list of files');
  const entries = (m['entries'] as unknown[]).map((e, i): BuildManifestEntry => {
    const entry = e as Partial<BuildManifestEntry> | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.file !== 'string' || entry.file === '') return bad(`entry ${i} has no "file"`);
    if (entry.kind !== undefined && entry.kind !== 'module' && entry.kind !== 'classic') bad(`"kind" of ${entry.file} is neither "module" nor "classic"`);
    if (typeof entry.integrity !== 'string' || !SRI.test(entry.integrity)) bad(`"integrity" of ${entry.file} is not a sha384 hash`);
    return { file: entry.file, ...(entry.kind !== undefined ? { kind: entry.kind } : {}), integrity: entry.integrity! };
  });
  return { finch: 1, product: m['product'] as string, bundler: m['bundler'] as string, entries };
}
