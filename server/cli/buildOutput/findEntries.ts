/**
 * The entry files of a build, found from what the bundler wrote, in this order: the Finch build
 * manifest (finch-gray's Vite and webpack plugins), Vite's manifest,
 * webpack's assets manifest or stats, the build's `index.html`, else the stylesheets then scripts at
 * the top of the folder.
 */
import { defaultEntryFiles } from '../../model/entryFiles.js';
import { fromFinchBuildManifest, type ReadableBuild } from './finchBuildManifest.js';
import { type BuildListing, type FoundEntries, type ScriptKind } from './FoundEntries.js';
import { fromIndexHtml } from './indexHtml.js';
import { fromViteManifest } from './viteManifest.js';
import { fromWebpackRecords } from './webpackManifest.js';

function fromTopLevel(build: BuildListing): FoundEntries | null {
  const files = defaultEntryFiles(build.files);
  if (files.length === 0) return null;
  const scripts: Record<string, ScriptKind> = {};
  for (const f of files) if (f.endsWith('.mjs')) scripts[f] = 'module';
  return { source: 'top-level files', files, scripts, consumed: [] };
}

/** @param entry the entry to choose (--entry) when a manifest lists several. */
export async function findEntries(build: ReadableBuild, entry?: string): Promise<FoundEntries | null> {
  return (await fromFinchBuildManifest(build))
    ?? (await fromViteManifest(build, entry))
    ?? (await fromWebpackRecords(build, entry))
    ?? (await fromIndexHtml(build))
    ?? fromTopLevel(build);
}
