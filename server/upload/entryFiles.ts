/**
 * The files a manifest names (loaded in this order) when a build does not say: the stylesheets, then
 * the scripts, at the top level of the build. Lazy chunks and assets sit in subfolders or are not
 * .css/.js; they are loaded by the build's own code, relative to its script.
 */
export function defaultEntryFiles(all: readonly string[]): string[] {
  const top = all.filter((f) => !f.includes('/')).sort();
  return [...top.filter((f) => f.endsWith('.css')), ...top.filter((f) => /\.m?js$/.test(f))];
}
