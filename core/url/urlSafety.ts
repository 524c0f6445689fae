/**
 * URL safety for `baseUrl`, `files` and `dependencies` ("unsafe URLs" in docs/failures.md). No `URL` here:
 * core has no DOM lib, and a hand check that refuses rather than normalises is easier to prove. Anything a
 * browser could resolve outside the allowed place is refused: dot segments (also percent-encoded, any
 * case, double encoded), encoded `/` or `\`, backslashes, control characters and spaces, protocol-relative
 * `//host`, other schemes (`javascript:`, `data:`, `blob:`…), user info, foreign origins, query and
 * fragment.
 */
import { FinchError } from '../FinchError.js';
import { DEV } from '../dev.js';

/**
 * Where a build may live.
 * @example { origin: 'http://127.0.0.1:8080', allowedOrigins: ['https://cdn.example.com'] }
 */
export interface UrlPolicy {
  /** Own origin, `scheme://host[:port]` without a trailing slash. */
  origin: string;
  /** Further origins builds and dependencies may be loaded from, same form. */
  allowedOrigins: readonly string[];
}

function fail(what: string, value: string, why: string): never {
  throw new FinchError(
    'unsafe-url',
    DEV ? `Refused ${what} ${JSON.stringify(value.slice(0, 200))}: ${why}. Use a same-origin path like "/releases/app/1/" or an allow-listed origin, with plain relative file paths.` : 'unsafe ' + what,
    { value },
  );
}

/**
 * Checks path segments `a/b/c` (no leading slash). `dir` says whether the final segment may be empty
 * (a directory ending in `/`). Returns a reason, or '' when safe.
 */
function badPath(path: string, dir: boolean): string {
  // Code units below 0x21 (controls, space), DEL, backslash and the URL delimiters never belong here.
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 33 || c === 127 || c === 92 || c === 63 || c === 35) return DEV ? 'control character, space, "\\", "?" or "#"' : '1';
    if (c === 37) {
      // Percent escapes: only well-formed ones, and never for characters that change the path's meaning
      // ("." "/" "\" "%" or controls); refusing "%25" also stops double-encoded "%252e%252e".
      const h = parseInt(path.slice(i + 1, i + 3), 16);
      if (!/^[0-9a-f]{2}$/i.test(path.slice(i + 1, i + 3)) || h < 33 || h === 127 || h === 46 || h === 47 || h === 92 || h === 37) {
        return DEV ? 'encoded dot, slash, backslash, percent or control character' : '2';
      }
    }
  }
  const segs = path.split('/');
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s === '.' || s === '..') return DEV ? 'dot segment' : '3';
    if (s === '' && !(dir && i === segs.length - 1)) return DEV ? 'empty segment' : '4';
  }
  return '';
}

/** The path after the origin, without its leading `/`: `/a/b/` → `a/b/`, `https://cdn.test/a/` → `a/` when allowed. */
function splitOrigin(what: string, url: string, policy: UrlPolicy): string {
  if (url[0] === '/') {
    if (url[1] === '/') fail(what, url, DEV ? 'protocol-relative URL' : '');
    return url.slice(1);
  }
  const m = /^https?:\/\/[^/]*/i.exec(url);
  if (!m) fail(what, url, DEV ? 'not an absolute path or http(s) URL' : '');
  const origin = m[0].toLowerCase();
  // Policy origins are compared as written, forgiving case and one trailing slash.
  const same = (o: string): boolean => o.toLowerCase().replace(/\/$/, '') === origin;
  if (origin.includes('@') || (!same(policy.origin) && !policy.allowedOrigins.some(same))) {
    fail(what, url, DEV ? 'origin not allowed' : '');
  }
  if (url[origin.length] !== '/') fail(what, url, DEV ? 'no path' : '');
  return url.slice(origin.length + 1);
}

function check(what: string, url: unknown, policy: UrlPolicy, dir: boolean): string {
  if (typeof url !== 'string' || url.length > 2048) fail(what, String(url), DEV ? 'not a string of at most 2048 characters' : '');
  const path = splitOrigin(what, url, policy);
  if (dir !== url.endsWith('/')) fail(what, url, DEV ? (dir ? 'must end with "/"' : 'must name a file') : '');
  const why = badPath(path, dir);
  if (why) fail(what, url, why);
  return url;
}

/**
 * Checks a build's `baseUrl`: a same-origin absolute path (`/releases/app/42/`) or an URL on an allowed
 * origin, ending with `/`. Returns it unchanged.
 */
export function checkBaseUrl(baseUrl: unknown, policy: UrlPolicy): string {
  return check('baseUrl', baseUrl, policy, true);
}

/** Checks a dependency script URL: same rules as `baseUrl`, but it names a file. */
export function checkDependencyUrl(url: unknown, policy: UrlPolicy): string {
  return check('dependency', url, policy, false);
}

/**
 * Checks a file path relative to `baseUrl`: no leading `/`, no scheme, no dot or empty segments, no
 * encoded dot/slash/backslash, no `?`/`#`.
 */
export function checkFilePath(path: unknown): string {
  if (typeof path !== 'string' || path.length > 1024 || path === '') fail('file', String(path), DEV ? 'not a non-empty string of at most 1024 characters' : '');
  // A colon in the first segment would read as a scheme ("javascript:…", "c:…").
  if (path[0] === '/' || /^[^/]*:/.test(path)) fail('file', path, DEV ? 'absolute path or scheme' : '');
  const why = badPath(path, false);
  if (why) fail('file', path, why);
  return path;
}

/**
 * The URL of `file` inside `baseUrl`. Both are checked first, so plain concatenation is the whole
 * resolution: no segment of `file` can climb out, and the result starts with `baseUrl`.
 * @example joinUrl('/releases/app/42/', 'js/main.js', policy) // '/releases/app/42/js/main.js'
 */
export function joinUrl(baseUrl: string, file: string, policy: UrlPolicy): string {
  return checkBaseUrl(baseUrl, policy) + checkFilePath(file);
}
