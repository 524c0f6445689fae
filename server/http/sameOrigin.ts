/**
 * Cross-site request forgery defence for requests that a browser authenticates by itself (the console's
 * session cookie, and signing in). Browsers attach cookies to requests that other sites start, so such a
 * request must prove it came from the control plane's own pages:
 *
 * - `Sec-Fetch-Site`, when sent (every current browser), must be `same-origin`;
 * - `Origin`, when sent (every browser on every non-GET request), must be the public origin, or the
 *   origin the request itself was sent to (scheme and Host: the same server under another name, like
 *   `localhost` for `127.0.0.1`; the session cookie of one name is never sent to the other);
 * - a body must be JSON (or a type the route itself declares), never one of the three types an HTML
 *   form can send without asking (`text/plain`, `application/x-www-form-urlencoded`,
 *   `multipart/form-data`), which cross-site pages can post with no preflight.
 *
 * A request with neither header is a program (curl, CI), not a page another site runs: it passes.
 */
import type { FastifyRequest } from 'fastify';

/** Methods that change nothing; everything else is a mutation. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CrossSiteRefusal {
  code: 'cross-site-request' | 'unsupported-media-type';
  status: 403 | 415;
  message: string;
}

export function isMutation(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

/**
 * Why a browser-authenticated mutation must be refused, or null when it may go on.
 * @param bodyTypes media types the route accepts besides `application/json` (e.g. an upload's gzip)
 * @example crossSiteRefusal(request, 'https://finch.example.com') // → null for the console's own fetch
 */
export function crossSiteRefusal(request: FastifyRequest, publicOrigin: string, bodyTypes: readonly string[] = []): CrossSiteRefusal | null {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return {
      code: 'cross-site-request',
      status: 403,
      message: `Refused: this request came from another site (Sec-Fetch-Site: ${String(site).slice(0, 40)}). Use the console at ${publicOrigin}, or a Bearer token from programs.`,
    };
  }
  const origin = request.headers.origin?.toLowerCase();
  if (origin !== undefined && origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`.toLowerCase()) {
    return {
      code: 'cross-site-request',
      status: 403,
      message: `Refused: this request came from the origin ${origin.slice(0, 200)}, not ${publicOrigin}. Use the console there, or a Bearer token from programs (set FINCH_PUBLIC_ORIGIN if this is the server's real origin).`,
    };
  }
  if (hasBody(request)) {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !bodyTypes.includes(type)) {
      return {
        code: 'unsupported-media-type',
        status: 415,
        message: `Refused: a signed-in request must send its body as application/json${bodyTypes.length > 0 ? ` or ${bodyTypes.join(', ')}` : ''}, not "${type.slice(0, 100) || 'no Content-Type'}".`,
      };
    }
  }
  return null;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
