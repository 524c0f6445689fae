/**
 * The files a manifest names (loaded in this order) when a build does not say: the stylesheets, then
 * the scripts, at the top level of the build. Lazy chunks and assets sit in subfolders or are not
 * .css/.js; they are loaded by the build's own code, relative to its script.
 */
export function defaultEntryFiles(all: readonly string[]): string[] {
  const top = all.filter((f) => !f.includes('/')).sort();
  return [...top.filter((f) => f.endsWith('.css')), ...top.filter((f) => /\.m?js$/.test(f))];
}

/** At most this many hashes per build: a manifest stays small enough to answer from memory. */
export const MAX_INTEGRITY_FILES = 1000;

/**
 * The files whose hashes a resource keeps: the entry files, then every other file a page may fetch
 * (lazy chunks, styles, assets) but source maps, up to MAX_INTEGRITY_FILES. The worker checks and
 * pre-caches each of them, which is what makes lazy chunks load offline after one visit.
 */
export function integrityFiles(entry: readonly string[], all: readonly string[]): string[] {
  const rest = all.filter((f) => !f.endsWith('.map') && !entry.includes(f)).sort();
  return [...entry, ...rest].slice(0, Math.max(entry.length, MAX_INTEGRITY_FILES));
}
