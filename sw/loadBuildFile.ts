import type { SwDeps, SwState } from './state.js';
import { matchesIntegrity } from './integrity.js';
import { buildsCache, purgeCaches } from './cacheStore.js';

/** Total size of the files kept as Blobs for cache-free repeats (`state.hot`). */
const HOT_BYTES = 8_388_608;

/** Why a build file was refused; `response` is kept for a plain HTTP error so a build without fallback can pass it on. */
export interface LoadFailure {
  reason: 'network' | 'redirect' | 'status' | 'content-type' | 'integrity';
  response?: Response;
}

/**
 * One file of an immutable build: from the cache, else from the network, checked, then cached.
 * The answer is rebuilt with no URL of its own so the page resolves relative URLs (lazy chunks, CSS
 * `url()`) against the virtual path, and they come back through the worker to the same build.
 * A cached file is not checked again: it was checked before it was cached. It is rebuilt around its
 * Blob, not its stream: Chromium then hands the stored bytes to the page without piping them through
 * this thread, and the Blob is kept (`state.hot`) so the next request needs no cache lookup at all.
 */
export async function loadBuildFile(
  state: SwState,
  deps: SwDeps,
  url: string,
  integrity: string | undefined,
  wantsCode: boolean,
): Promise<Response | LoadFailure> {
  let hot = state.hot.get(url);
  if (hot) return new Response(...hot);
  const opened = buildsCache(state, deps);
  const cache = await opened;
  const hit = await cache.match(url);
  if (hit) {
    hot = [await hit.blob(), hit];
    let bytes = hot[0].size;
    for (const [blob] of state.hot.values()) bytes += blob.size;
    // Not when the cache was purged meanwhile (the entry is gone). Bounded because a browser other than
    // Chromium may hold such a Blob in memory rather than point at the stored bytes.
    if (state.cache === opened && bytes <= HOT_BYTES) state.hot.set(url, hot);
    return new Response(...hot);
  }
  let response: Response;
  let body: ArrayBuffer;
  try {
    // 'manual': a versioned file never moves; following a redirect could leave the allowed origins (redirects).
    // fetch's defaults do the rest: mode 'cors' (a readable body to check) and credentials 'same-origin'.
    response = await deps.fetch(url, { redirect: 'manual' });
    if (response.type === 'opaqueredirect' || (response.status > 299 && response.status < 400)) return { reason: 'redirect' };
    if (!response.ok) return { reason: 'status', response };
    // A SPA server answers a missing file with its index.html and 200 (missing build).
    if (wantsCode && /html/i.test(response.headers.get('content-type') ?? '')) return { reason: 'content-type' };
    body = await response.arrayBuffer();
  } catch {
    return { reason: 'network' };
  }
  if (integrity && !(await matchesIntegrity(body, integrity))) return { reason: 'integrity' };
  const answer = new Response(body, response);
  // Only whole, readable answers are cached: never opaque, never partial (opaque, partial and media responses).
  if (response.status === 200 && /^(basic|cors)$/.test(response.type) && body.byteLength <= state.config.maxFileBytes) {
    try {
      await cache.put(url, answer.clone());
    } catch {
      // Quota exceeded: free everything Finch holds; this answer still goes out from the network.
      await purgeCaches(state, deps).catch(() => {});
    }
  }
  return answer;
}
