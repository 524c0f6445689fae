import { isFinchError } from '../core/FinchError.js';
import type { FinchErrorCode } from '../core/FinchError.js';
import type { Manifest } from '../core/manifest.js';
import type { UrlPolicy } from '../core/url/urlSafety.js';
import { validatePageManifest } from '../core/validateManifest.js';
import { sdkError } from './sdkError.js';

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

const CODES: Record<number, FinchErrorCode> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 429: 'rate-limited' };

/**
 * One getConsoleVersion call. POST, because attributes do not fit the GET form and one code path is
 * smaller than two. Resolves with the validated manifest, or null for 304 (keep the stored one).
 * Rejects with a FinchError: `details.status` (0: no answer) and `details.retryAfter` for back-off.
 */
export async function fetchManifest(
  fetch: Fetch,
  endpoint: string,
  body: unknown,
  etag: string | null | undefined,
  timeoutMs: number,
  policy: UrlPolicy,
): Promise<{ manifest: Manifest | null; etag: string | null }> {
  const abort = new AbortController();
  // The whole exchange, body included, must fit in timeoutMs: a slow body is as bad as a slow header.
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (etag) headers['if-none-match'] = etag;
  try {
    const response = await fetch(endpoint + '/console-version', {
      method: 'POST',
      body: JSON.stringify(body),
      headers,
      credentials: 'include',
      signal: abort.signal,
    });
    const status = response.status;
    if (status === 304 && etag) return { manifest: null, etag };
    if (!response.ok) {
      throw sdkError(CODES[status] || (status >= 500 || status === 408 ? 'network-error' : 'invalid-input'), {
        status,
        retryAfter: response.headers.get('retry-after'),
      });
    }
    const json: unknown = await response.json().catch((cause: unknown) => {
      throw cause instanceof SyntaxError ? sdkError('invalid-manifest', { status, cause }) : cause;
    });
    return { manifest: validatePageManifest(json, policy), etag: response.headers.get('etag') };
  } catch (cause) {
    throw isFinchError(cause) ? cause : sdkError(abort.signal.aborted ? 'timeout' : 'network-error', { status: 0, cause });
  } finally {
    clearTimeout(timer);
  }
}
