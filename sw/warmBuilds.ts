import { joinUrl } from '../core/url/urlSafety.js';
import type { SwDeps, SwState } from './state.js';
import { buildsOf } from './buildsOf.js';
import { loadBuildFile } from './loadBuildFile.js';
import { pinsFromManifest } from './pins.js';

/** Files fetched at a time: a manifest names a few dozen files at most, and the page's own requests need room. */
const LANES = 4;

/**
 * Fills the cache with every file of every build the current manifest names: entries, fallbacks, and
 * lazy chunks listed only in `integrity`. On a first visit the page loads its builds before the worker
 * controls it, so without this the next visit would not work offline. Same checks as a page's load
 * (status, content type, integrity, ok `basic`/`cors` only). Never rejects and never marks a build bad:
 * a file that fails here is loaded, and judged, when a page asks for it.
 */
export async function warmBuilds(state: SwState, deps: SwDeps): Promise<void> {
  const { policy } = state.config;
  const jobs: [string, string | undefined, boolean][] = [];
  // What a page starting now would get: a build this browser saw fail is not asked for again.
  for (const build of buildsOf(pinsFromManifest(state.manifest, state.bad, deps.now()))) {
    for (const file of new Set([...build.files, ...Object.keys(build.integrity)])) {
      try {
        jobs.push([new URL(joinUrl(build.baseUrl, file, policy), policy.origin).href, build.integrity[file], /\.(m?js|css)$/.test(file)]);
      } catch {
        // validateManifest already refused unsafe paths; nothing to warm here.
      }
    }
  }
  const lane = async (): Promise<void> => {
    for (let job; (job = jobs.shift()); ) await loadBuildFile(state, deps, ...job).catch(() => {});
  };
  await Promise.all(Array.from({ length: LANES }, lane));
}

/**
 * `warmBuilds` one round at a time: a call while a round waits to start joins it, a call during a round
 * queues one more (for the manifest that came in meanwhile), so two rounds never fetch the same files.
 */
export function warmer(state: SwState, deps: SwDeps): () => Promise<void> {
  let queued: Promise<void> | undefined;
  let last = Promise.resolve();
  return () =>
    (queued ??= last = last.then(() => {
      queued = undefined;
      return warmBuilds(state, deps);
    }));
}
