import type { SwConfig } from './options.js';

/**
 * Files kept under shell prefixes. Every deploy of a bundled host adds new hashed names and the old ones
 * are never asked for again; a page and its lazy chunks are a few dozen files, so 200 leaves room for
 * several routes' worth without letting old deploys pile up.
 */
export const SHELL_PREFIX_FILES = 200;

/**
 * Deletes the longest-unused files cached under shell prefixes beyond `SHELL_PREFIX_FILES`. Cache Storage
 * lists keys in the order they were put, a put moving its key to the end, and every online fetch of a shell
 * file puts it again: the first keys are the files no page has fetched for the longest time.
 * Exact shell files are not counted and never deleted here (they are pre-cached at install).
 */
export async function pruneShell(config: SwConfig, cache: Cache): Promise<void> {
  const prefixed = (await cache.keys()).filter((request) => !config.shellFiles.includes(new URL(request.url).pathname));
  for (const request of prefixed.slice(0, -SHELL_PREFIX_FILES)) await cache.delete(request);
}
