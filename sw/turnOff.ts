import type { SwDeps, SwState } from './state.js';
import { purgeCaches } from './cacheStore.js';

/**
 * The kill switch: stop intercepting, delete Finch's caches, unregister. Only an explicit
 * `serviceWorker.enabled: false` or `finch:off` gets here; a 5xx or being offline never does.
 */
export async function turnOff(state: SwState, deps: SwDeps): Promise<void> {
  state.off = true;
  state.manifest = null;
  state.pins.clear();
  await purgeCaches(state, deps).catch(() => {});
  await deps.unregister();
}
