import type { SwConfig } from './options.js';

/**
 * True when `url` is one of the host's shell files: same origin, and an exact shell path or under a
 * shell prefix. `url.pathname` is already normalised (`..`, `%2e%2e`), so no path leaves its prefix.
 */
export function isShell(config: SwConfig, url: URL): boolean {
  const path = url.pathname;
  return url.origin === config.policy.origin && (config.shellFiles.includes(path) || config.shellPrefixes.some((p) => path.startsWith(p)));
}
