/**
 * Entries from webpack's build records, whichever the build writes at its top: an assets manifest
 * (`webpack-assets-manifest`: `entrypoints.<name>.assets.{css,js}`; `webpack-manifest-plugin` or Create
 * React App: `entrypoints` as a list or per name) or a stats file (`stats.json`:
 * `entrypoints.<name>.assets`). Paths may carry the build's public path, which is matched away.
 */
import { FinchError } from '../../../core/FinchError.js';
import { buildFileOf } from './buildUrl.js';
import { type BuildListing, type FoundEntries, inLoadOrder, readJson, type ScriptKind } from './FoundEntries.js';
import { pickEntry } from './pickEntry.js';

/** Looked for in this order; the first with `entrypoints` names the entries. */
const RECORDS: readonly [file: string, source: string][] = [
  ['assets-manifest.json', 'webpack assets manifest'],
  ['asset-manifest.json', 'webpack assets manifest'],
  ['manifest.json', 'webpack manifest'],
  ['stats.json', 'webpack stats'],
];

/** The asset paths of one entrypoint, in any of the shapes the plugins write. */
function assetsOf(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((a: unknown) => (typeof a === 'string' ? [a] : a !== null && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string' ? [(a as { name: string }).name] : []));
  }
  if (value === null || typeof value !== 'object') return [];
  const v = value as { assets?: unknown; css?: unknown; js?: unknown };
  if (v.assets !== undefined) return assetsOf(v.assets);
  return [...assetsOf(v.css), ...assetsOf(v.js)];
}

const runsOnPage = (f: string): boolean => /\.(css|m?js)$/.test(f) && !/\.hot-update\.m?js$/.test(f);

export async function fromWebpackRecords(build: BuildListing, wanted: string | undefined): Promise<FoundEntries | null> {
  const found: [file: string, source: string, entrypoints: unknown][] = [];
  for (const [file, source] of RECORDS) {
    if (!build.files.includes(file)) continue;
    // A `manifest.json` is often a web app manifest instead: only one with `entrypoints` counts.
    const json = await readJson(build, file);
    const entrypoints = json !== null && typeof json === 'object' ? (json as { entrypoints?: unknown }).entrypoints : undefined;
    if (entrypoints !== undefined && entrypoints !== null && typeof entrypoints === 'object') found.push([file, source, entrypoints]);
  }
  const first = found[0];
  if (first === undefined) return null;
  const [file, source, entrypoints] = first;
  const named: [string, unknown][] = Array.isArray(entrypoints) ? [['(the only entry)', entrypoints]] : Object.entries(entrypoints as object);
  const [name, value] = pickEntry(named, Array.isArray(entrypoints) ? undefined : wanted, `${source} (${file})`, (k) => [k]);
  const files = new Set(build.files);
  const entryFiles: string[] = [];
  for (const url of assetsOf(value)) {
    const f = buildFileOf(url, '', files, file);
    if (f === null) {
      throw new FinchError('invalid-input', `Failed to find the entry files: ${file} names ${url}, which is not in the build. Publish the whole output folder of one build.`);
    }
    if (runsOnPage(f)) entryFiles.push(f);
  }
  if (entryFiles.length === 0) {
    throw new FinchError('invalid-input', `Failed to find the entry files: entry "${name}" of ${file} has no .css or .js file. Name the entry files with --files.`);
  }
  const scripts: Record<string, ScriptKind> = {};
  for (const f of entryFiles) if (f.endsWith('.mjs')) scripts[f] = 'module';
  return {
    source,
    ...(Array.isArray(entrypoints) ? {} : { entry: name }),
    files: inLoadOrder(entryFiles),
    scripts,
    consumed: found.map(([f]) => f),
  };
}
