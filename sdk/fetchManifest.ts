import { DEV } from '../core/dev.js';
import { FinchError, isFinchError } from '../core/FinchError.js';
import type { FinchErrorCode } from '../core/FinchError.js';
import type { Manifest } from '../core/manifest.js';
import type { UrlPolicy } from '../core/url/urlSafety.js';
import { validateManifest } from '../core/validateManifest.js';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

const CODES: Record<number, FinchErrorCode> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 429: 'rate-limited' };

/**
 * One getConsoleVersion call. POST, because attributes do not fit the GET form of the contract and one
 * code path is smaller than two. Resolves with the validated manifest, or null for 304 (keep the stored
 * one). Rejects with a FinchError: `details.status` (0: no answer) and `details.retryAfter` for back-off.
 */
export async function fetchManifest(
  f: Fetch,
  endpoint: string,
  body: unknown,
  etag: string | null | undefined,
  timeoutMs: number,
  policy: UrlPolicy,
): Promise<{ manifest: Manifest | null; etag: string | null }> {
  const ac = new AbortController();
  // The whole exchange, body included, must fit in timeoutMs: a slow body is as bad as a slow header.
  const t = setTimeout(() => ac.abort(), timeoutMs);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (etag) headers['if-none-match'] = etag;
  try {
    const res = await f(endpoint + '/console-version', {
      method: 'POST',
      body: JSON.stringify(body),
      headers,
      credentials: 'include',
      signal: ac.signal,
    });
    const s = res.status;
    if (s === 304 && etag) return { manifest: null, etag };
    if (!res.ok) {
      throw new FinchError(
        CODES[s] || (s >= 500 || s === 408 ? 'network-error' : 'invalid-input'),
        DEV ? `Failed to fetch the manifest: the control plane answered HTTP ${s}. Finch keeps the last good manifest.` : '',
        { status: s, retryAfter: res.headers.get('retry-after') },
      );
    }
    const json: unknown = await res.json().catch((e: unknown) => {
      throw e instanceof SyntaxError
        ? new FinchError('invalid-manifest', DEV ? `Failed to read the manifest: ${e.message}. The stored manifest stays.` : '', { status: s })
        : e;
    });
    return { manifest: validateManifest(json, policy), etag: res.headers.get('etag') };
  } catch (e) {
    throw isFinchError(e)
      ? e
      : new FinchError(
          ac.signal.aborted ? 'timeout' : 'network-error',
          DEV ? `Failed to fetch the manifest: ${ac.signal.aborted ? `no answer within ${timeoutMs} ms` : String(e)}. Finch goes on with the last good manifest.` : '',
          { status: 0 },
        );
  } finally {
    clearTimeout(t);
  }
}
