import type { SwDeps, SwState } from './state.js';
import { buildsOf } from './buildsOf.js';

/** Deletes Finch's caches but `keep` (quota exceeded, kill switch; on activate, the layouts of older versions). */
export async function purgeCaches(state: SwState, deps: SwDeps, keep: string[] = []): Promise<void> {
  for (const name of await deps.caches.keys()) {
    if (name.startsWith(state.config.cachePrefix) && !keep.includes(name)) await deps.caches.delete(name);
  }
}

/**
 * Drops pins of pages that are gone, then every cached build file that no manifest or pin names any more.
 * Runs after a manifest change; failures are ignored (the next change tries again).
 */
export async function evictBuilds(state: SwState, deps: SwDeps): Promise<void> {
  try {
    const alive = new Set(await deps.clientIds());
    for (const id of state.pins.keys()) if (!alive.has(id)) state.pins.delete(id);
    deps.savePins(state.pins);
    const keep = buildsOf(...state.pins.values(), state.manifest?.products).map((b) => new URL(b.baseUrl, state.config.policy.origin).href);
    const cache = await deps.caches.open(state.config.buildsCache);
    for (const request of await cache.keys()) {
      if (!keep.some((base) => request.url.startsWith(base))) await cache.delete(request);
    }
  } catch {
    // Eviction is housekeeping; the page must never see it fail.
  }
}
