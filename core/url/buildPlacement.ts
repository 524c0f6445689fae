/**
 * Where a product's build may point, beyond being a safe URL. On this server's own origin a build lives
 * in its product's release directory, so a publish token for one product can neither dress up another
 * product's build as its own nor point pages at the control plane (`/api/…`). Asset origins
 * (`FINCH_ASSET_ORIGINS`) are the operator's own hosts and may be used freely.
 */
import { FinchError } from '../FinchError.js';
import { DEV } from '../dev.js';
import { PRODUCT_NAME } from '../manifest.js';
import { checkBaseUrl, checkDependencyUrl, type UrlPolicy } from './urlSafety.js';

/** The path a build of `product` hosted here is served under: `/releases/{product}/`. */
export function releaseDirOf(product: string): string {
  return `/releases/${product}/`;
}

function refuse(what: string, url: string, rule: string): never {
  throw new FinchError(
    'forbidden-url',
    DEV ? `Refused ${what} ${JSON.stringify(url.slice(0, 200))}: ${rule}.` : 'forbidden ' + what,
    { value: url },
  );
}

/**
 * The path of a URL on the server's own origin (`/a/b/` for `/a/b/` and `{origin}/a/b/`), or null for
 * an URL on an asset origin. The URL must have passed the safety check. The own origin is judged by
 * its path even when it is listed among the asset origins too.
 */
function ownOriginPath(url: string, policy: UrlPolicy): string | null {
  if (url[0] === '/') return url;
  const origin = /^https?:\/\/[^/]*/i.exec(url)?.[0] ?? '';
  return origin.toLowerCase() === policy.origin.toLowerCase().replace(/\/$/, '') ? url.slice(origin.length) : null;
}

/**
 * Checks a build's `baseUrl` for `product`: safe (see checkBaseUrl), and either a folder inside
 * `/releases/{product}/` on this origin or any folder on an asset origin. Throws `unsafe-url` or
 * `forbidden-url`; returns the URL unchanged.
 * @example checkBuildBaseUrl('app', '/releases/app/42/', policy) // ok; '/releases/other/3/' is refused
 */
export function checkBuildBaseUrl(product: string, baseUrl: unknown, policy: UrlPolicy): string {
  const url = checkBaseUrl(baseUrl, policy);
  const path = ownOriginPath(url, policy);
  if (path === null) return url;
  const dir = releaseDirOf(product);
  // Compared as written: the safety check refused every escape that could decode to another place.
  if (!path.startsWith(dir) || path.length === dir.length) {
    refuse('baseUrl', url, DEV ? `on this server a build of "${product}" lives inside ${dir} (like ${dir}2.0.0/); upload it with PUT /api/v1/resources/{id}/files, or host it on an origin listed in FINCH_ASSET_ORIGINS` : '');
  }
  return url;
}

/** `/releases/{product}/{build}/{file}`: a file of some product's build hosted here. */
function isReleaseFile(path: string): boolean {
  const m = /^\/releases\/([^/]+)\/[^/]+\/.+$/.exec(path);
  return m !== null && PRODUCT_NAME.test(m[1] ?? '');
}

/**
 * Checks a dependency (a shared script several products load): safe (see checkDependencyUrl), and on
 * this origin a file of a build of any product (a shared library is usually a product of its own), or
 * any file on an asset origin. Nothing else this server answers (the API, the console, the worker
 * script) is a script to load. Throws `unsafe-url` or `forbidden-url`.
 * @example checkSharedScriptUrl('/releases/vendor/7/react.js', policy) // ok; '/api/v1/tokens' is refused
 */
export function checkSharedScriptUrl(url: unknown, policy: UrlPolicy): string {
  const checked = checkDependencyUrl(url, policy);
  const path = ownOriginPath(checked, policy);
  if (path !== null && !isReleaseFile(path)) {
    refuse('dependency', checked, DEV ? 'on this server a dependency must be a file of a published build (/releases/{product}/{id}/lib.js), or live on an origin listed in FINCH_ASSET_ORIGINS' : '');
  }
  return checked;
}
