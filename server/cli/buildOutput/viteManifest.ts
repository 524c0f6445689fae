/**
 * Entries from Vite's `.vite/manifest.json` (`build.manifest: true`): for the entry chunk, its own
 * stylesheets, those of the chunks it imports (followed recursively, as Vite's backend-integration
 * guide says), then its script, which Vite always emits as an ES module.
 */
import { FinchError } from '../../../core/FinchError.js';
import { type BuildListing, type FoundEntries, inLoadOrder, readJson } from './FoundEntries.js';
import { pickEntry } from './pickEntry.js';

export const VITE_MANIFEST = '.vite/manifest.json';

interface ViteChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  css?: string[];
  imports?: string[];
}

function chunksOf(json: unknown): Map<string, ViteChunk> {
  const chunks = new Map<string, ViteChunk>();
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new FinchError('invalid-input', `Failed to read ${VITE_MANIFEST}: it is not an object of chunks. Rebuild with Vite, or name the entry files with --files.`);
  }
  for (const [key, value] of Object.entries(json)) {
    const c = value as Partial<ViteChunk> | null;
    if (c === null || typeof c !== 'object' || typeof c.file !== 'string') {
      throw new FinchError('invalid-input', `Failed to read ${VITE_MANIFEST}: "${key}" has no "file". Rebuild with Vite, or name the entry files with --files.`);
    }
    chunks.set(key, c as ViteChunk);
  }
  return chunks;
}

/** The entry's stylesheets and those of every chunk it imports, depth first, each once. */
function stylesOf(chunks: Map<string, ViteChunk>, key: string, seen: Set<string>): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = chunks.get(key);
  if (chunk === undefined) return [];
  return [...(chunk.css ?? []), ...(chunk.imports ?? []).flatMap((k) => stylesOf(chunks, k, seen))];
}

export async function fromViteManifest(build: BuildListing, wanted: string | undefined): Promise<FoundEntries | null> {
  if (!build.files.includes(VITE_MANIFEST)) return null;
  const chunks = chunksOf(await readJson(build, VITE_MANIFEST));
  const entries = [...chunks].filter(([, c]) => c.isEntry === true);
  const [key, entry] = pickEntry(entries, wanted, 'vite manifest', (k, c) => [k, c.src ?? k, c.file]);
  // A CSS entry (a stylesheet given to rollupOptions.input) is its own `file`.
  const styles = [...(entry.file.endsWith('.css') ? [entry.file] : []), ...stylesOf(chunks, key, new Set())];
  const script = entry.file.endsWith('.css') ? [] : [entry.file];
  const files = inLoadOrder([...styles, ...script]);
  for (const f of files) {
    if (!build.files.includes(f)) {
      throw new FinchError('invalid-input', `Failed to find the entry files: ${VITE_MANIFEST} names ${f}, which is not in the build. Publish the whole output folder of one build.`);
    }
  }
  return {
    source: 'vite manifest',
    entry: entry.src ?? key,
    files,
    scripts: Object.fromEntries(script.map((f) => [f, 'module' as const])),
    consumed: [VITE_MANIFEST],
  };
}
