import type { Manifest } from '../core/manifest.js';
import type { SwDeps, SwState } from './state.js';
import { pinClient } from './pins.js';
import { evictBuilds } from './cacheStore.js';
import { turnOff } from './turnOff.js';

/**
 * A new current manifest (already validated): later pages get it; `clientId`'s page is re-pinned too
 * (login/logout send `pin: true`); every other open page keeps its builds (mixed versions).
 */
export async function applyManifest(state: SwState, deps: SwDeps, manifest: Manifest | null, clientId?: string): Promise<void> {
  if (manifest && !manifest.serviceWorker.enabled) return turnOff(state, deps);
  state.manifest = manifest;
  if (clientId) pinClient(state, deps, clientId);
  await evictBuilds(state, deps);
}
