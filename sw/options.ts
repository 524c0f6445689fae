import { DEV } from '../core/dev.js';
import { FinchError } from '../core/FinchError.js';
import type { UrlPolicy } from '../core/url/urlSafety.js';

/** How `installFinch` behaves; every field has a default. */
export interface FinchSwOptions {
  /** Path under which pages ask for product files: `{assetPrefix}{product}/{path}`. @default '/apps/' */
  assetPrefix?: string;
  /**
   * Prefix of Finch's cache names. Keep it starting with `finch-`: the server's `FINCH_SW=off` worker
   * clears caches by that prefix. @default 'finch-'
   */
  cachePrefix?: string;
  /** Origins other than the worker's own that a `baseUrl` may name (the server's `FINCH_ASSET_ORIGINS`). @default [] */
  allowedOrigins?: string[];
  /**
   * The host's own files (HTML, the SDK script) served network-first with the cached copy as fallback,
   * so a returning user's page also loads offline. Paths like `'/'`, `'/index.html'`, `'/finch.js'`; one
   * ending in `*` is a prefix for a bundler's hashed files, `'/assets/*'` (not `'/*'`, nor one over `assetPrefix`). @default []
   */
  shellFiles?: string[];
  /** Where refused URLs and fallbacks are reported; null to report nothing. @default '/api/v1/reports' */
  reportUrl?: string | null;
  /** Files larger than this are served but not cached. @default 10485760 (10 MiB) */
  maxFileBytes?: number;
}

/** Options with their defaults applied, plus the URL policy derived from the worker's origin. */
export interface SwConfig {
  assetPrefix: string;
  cachePrefix: string;
  buildsCache: string;
  shellCache: string;
  /** Exact paths of shell files, pre-cached at install. */
  shellFiles: string[];
  /** Path prefixes of shell files (`'/assets/'` for `'/assets/*'`), cached as they are fetched. */
  shellPrefixes: string[];
  reportUrl: string | null;
  maxFileBytes: number;
  policy: UrlPolicy;
}

/**
 * Applies the defaults; `origin` is the worker's own origin (`self.location.origin`). Throws a FinchError
 * `invalid-input` for a shell prefix the worker must not own.
 */
export function resolveOptions(options: FinchSwOptions, origin: string): SwConfig {
  const cachePrefix = options.cachePrefix ?? 'finch-';
  const assetPrefix = options.assetPrefix ?? '/apps/';
  const shellFiles: string[] = [];
  const shellPrefixes: string[] = [];
  for (const entry of options.shellFiles ?? []) {
    const path = new URL(entry, origin).pathname;
    if (path.endsWith('*')) shellPrefixes.push(shellPrefix(path, assetPrefix));
    else shellFiles.push(path);
  }
  return {
    assetPrefix,
    cachePrefix,
    // The version suffix lets a future layout change drop old caches on activate.
    buildsCache: cachePrefix + 'builds-v1',
    shellCache: cachePrefix + 'shell-v1',
    shellFiles,
    shellPrefixes,
    reportUrl: options.reportUrl === undefined ? '/api/v1/reports' : options.reportUrl,
    maxFileBytes: options.maxFileBytes ?? 10 << 20, // 10 MiB
    policy: { origin, allowedOrigins: options.allowedOrigins ?? [] },
  };
}

/**
 * `/assets/*` → `/assets/`. Refused: `/` (`*`, `/*`), which would make the worker a cache of the whole
 * origin (the host's API included), and any prefix over or under `assetPrefix`, which would answer
 * virtual URLs from the host instead of the pinned builds.
 */
function shellPrefix(path: string, assetPrefix: string): string {
  const prefix = path.slice(0, -1);
  if (prefix === '/' || prefix.startsWith(assetPrefix) || assetPrefix.startsWith(prefix)) {
    throw new FinchError(
      'invalid-input',
      DEV ? `Refused shell prefix "${path}": it covers the whole origin or the virtual asset URLs. Name the folder of the host's own files, like "/assets/*".` : 'shell',
      { value: path },
    );
  }
  return prefix;
}
