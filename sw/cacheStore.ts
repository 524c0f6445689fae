import type { SwDeps, SwState } from './state.js';
import { buildsOf } from './buildsOf.js';

/** Finch's builds cache, opened once per worker life; a failed open is tried again by the next request. */
export function buildsCache(state: SwState, deps: SwDeps): Promise<Cache> {
  return (state.cache ??= deps.caches.open(state.config.buildsCache).catch((error: unknown) => {
    state.cache = undefined;
    throw error;
  }));
}

/** Deletes Finch's caches but `keep` (quota exceeded, kill switch; on activate, the layouts of older versions). */
export async function purgeCaches(state: SwState, deps: SwDeps, keep: string[] = []): Promise<void> {
  try {
    for (const name of await deps.caches.keys()) {
      if (name.startsWith(state.config.cachePrefix) && !keep.includes(name)) await deps.caches.delete(name);
    }
  } finally {
    // Afterwards, so no request reopens a cache about to go: a handle to a deleted cache writes where no one reads.
    state.cache = undefined;
    state.hot.clear();
  }
}

/**
 * Drops pins of pages that are gone, then every cached build file that no manifest or pin names any more.
 * Runs after a manifest change; failures are ignored (the next change tries again).
 */
export async function evictBuilds(state: SwState, deps: SwDeps): Promise<void> {
  try {
    const alive = await deps.clientIds();
    for (const id of state.pins.keys()) if (!alive.includes(id)) state.pins.delete(id);
    deps.savePins(state.pins);
    const keep = buildsOf(...state.pins.values(), state.manifest?.products).map((b) => new URL(b.baseUrl, state.config.policy.origin).href);
    const cache = await buildsCache(state, deps);
    for (const request of await cache.keys()) {
      if (!keep.some((base) => request.url.startsWith(base))) {
        state.hot.delete(request.url);
        await cache.delete(request);
      }
    }
  } catch {
    // Eviction is housekeeping; the page must never see it fail.
  }
}
