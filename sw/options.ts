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
   * so a returning user's page also loads offline. Paths like `'/'`, `'/index.html'`, `'/finch.js'`. @default []
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
  shellFiles: string[];
  reportUrl: string | null;
  maxFileBytes: number;
  policy: UrlPolicy;
}

/** Applies the defaults; `origin` is the worker's own origin (`self.location.origin`). */
export function resolveOptions(options: FinchSwOptions, origin: string): SwConfig {
  const cachePrefix = options.cachePrefix ?? 'finch-';
  return {
    assetPrefix: options.assetPrefix ?? '/apps/',
    cachePrefix,
    // The version suffix lets a future layout change drop old caches on activate.
    buildsCache: cachePrefix + 'builds-v1',
    shellCache: cachePrefix + 'shell-v1',
    shellFiles: (options.shellFiles ?? []).map((p) => new URL(p, origin).pathname),
    reportUrl: options.reportUrl === undefined ? '/api/v1/reports' : options.reportUrl,
    maxFileBytes: options.maxFileBytes ?? 10_485_760,
    policy: { origin, allowedOrigins: options.allowedOrigins ?? [] },
  };
}
