/** What a build's own output says about the files a page loads first. */
import { FinchError } from '../../../core/FinchError.js';

/** How a page runs a script: as an ES module (`<script type="module">`) or a classic script. */
export type ScriptKind = 'module' | 'classic';

export interface FoundEntries {
  /** What named the entries, as the user knows it: "vite manifest", "index.html"… */
  source: string;
  /** Which entry of several, when the source has names (`src/main.jsx`, `main`). */
  entry?: string;
  /** The entry files in load order: stylesheets, then scripts. */
  files: string[];
  /** Scripts among `files` whose kind the source states. */
  scripts: Record<string, ScriptKind>;
  /** Files read to find the entries that no page fetches (manifests, stats): left out of the upload. */
  consumed: string[];
}

/** A build folder as the entry finders see it. */
export interface BuildListing {
  /** Relative paths with `/`, sorted. */
  files: readonly string[];
  readText(file: string): Promise<string>;
}

/** Stylesheets first, then scripts, each kind in the order given, without repeats. */
export function inLoadOrder(files: readonly string[]): string[] {
  const unique = [...new Set(files)];
  return [...unique.filter((f) => f.endsWith('.css')), ...unique.filter((f) => !f.endsWith('.css'))];
}

/** Parses a JSON file of the build, naming it when it is not JSON. */
export async function readJson(build: BuildListing, file: string): Promise<unknown> {
  const text = await build.readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new FinchError('invalid-input', `Failed to read ${file}: it is not JSON (${err instanceof Error ? err.message : String(err)}). Rebuild, or name the entry files with --files.`);
  }
}
