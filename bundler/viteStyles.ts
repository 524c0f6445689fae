/** The entry files of a Vite build, read from its output bundle: the wrapper's chunk and the stylesheets the app needs first. */
import { FinchError } from '../core/FinchError.js';

/** The parts of Vite's output chunks read here (Rollup's and Rolldown's alike). */
interface ViteChunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  moduleIds: readonly string[];
  imports: readonly string[];
  viteMetadata?: { importedCss: Set<string> };
}

export type ViteBundle = Record<string, ViteChunk | { type: 'asset'; fileName: string }>;

/** The chunk's stylesheets and those of the chunks it imports statically, depth first, each once. */
function stylesOf(bundle: ViteBundle, chunk: ViteChunk, seen: Set<string>): string[] {
  if (seen.has(chunk.fileName)) return [];
  seen.add(chunk.fileName);
  const imported = chunk.imports.flatMap((file) => {
    const next = bundle[file];
    return next?.type === 'chunk' ? stylesOf(bundle, next, seen) : [];
  });
  return [...imported, ...(chunk.viteMetadata?.importedCss ?? [])];
}

/**
 * The entry script (the chunk holding one of `wrappers`, wrapper id → the user's entry id) and its stylesheets: its own, then those of the
 * user's entry when the wrapper imports it lazily (a self-mounting entry), so the page gets the app's
 * styles with the script, checked, instead of when the app starts.
 */
export function entryStyles(bundle: ViteBundle, wrappers: ReadonlyMap<string, string>, plugin: string): { script: string; styles: string[] } {
  const chunks = Object.values(bundle).filter((c): c is ViteChunk => c.type === 'chunk');
  const entries = chunks.filter((c) => c.isEntry && c.moduleIds.some((id) => wrappers.has(id)));
  if (entries.length !== 1) {
    throw new FinchError('invalid-input', entries.length === 0
      ? `Failed to build for Finch (${plugin}): no entry script was found to wrap. Give index.html one <script type="module" src="…">, or name the entry script in build.rollupOptions.input.`
      : `Failed to build for Finch (${plugin}): the build has ${entries.length} entries (${entries.map((c) => c.fileName).join(', ')}), and a micro-frontend has one. Build one entry per product.`);
  }
  const entry = entries[0]!;
  const seen = new Set<string>();
  const styles = stylesOf(bundle, entry, seen);
  const userEntry = wrappers.get(entry.moduleIds.find((id) => wrappers.has(id))!);
  const app = chunks.find((c) => c !== entry && c.facadeModuleId === userEntry);
  if (app !== undefined) styles.push(...stylesOf(bundle, app, seen));
  return { script: entry.fileName, styles: [...new Set(styles)] };
}
