import { createStore, get, getMany, set, update } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import { validateManifest } from '../core/validateManifest.js';
import { BAD_BUILDS_KEY, CURRENT_KEY, IDB_NAME, IDB_STORE, manifestKey } from '../core/protocol.js';
import type { BadBuilds, CurrentPointer, StoredManifest } from '../core/protocol.js';
import type { Pins, SwDeps, SwState } from './state.js';
import { turnOff } from './turnOff.js';

/**
 * The worker's own key in the SDK's store: clientId → pins. Pins live in memory, but the browser stops
 * idle workers after ~30 s and an update replaces the worker; both must keep open pages on their builds (mixed versions).
 */
export const PINS_KEY = 'sw-pins';

export function openStore(): UseStore {
  return createStore(IDB_NAME, IDB_STORE);
}

/** Restores what the SDK and the previous worker left: the current manifest, bad builds, pins of open pages. */
export async function loadStoredState(state: SwState, deps: SwDeps, store: UseStore): Promise<void> {
  const [current, bad, pins] = await getMany([CURRENT_KEY, BAD_BUILDS_KEY, PINS_KEY], store);
  state.bad = (bad as BadBuilds | undefined) ?? {};
  for (const [id, p] of Object.entries((pins as Record<string, Pins> | undefined) ?? {})) state.pins.set(id, p);
  const pointer = current as CurrentPointer | undefined;
  const stored = pointer ? await get<StoredManifest>(manifestKey(pointer.userId), store) : undefined;
  if (!stored) return;
  const manifest = validateManifest(stored.manifest, state.config.policy);
  if (manifest.serviceWorker.enabled) state.manifest = manifest;
  else await turnOff(state, deps);
}

/** Resolves when written (never rejects: a failed write only loses what a restart would recover). */
export function savePins(store: UseStore, pins: Map<string, Pins>): Promise<void> {
  return set(PINS_KEY, Object.fromEntries(pins), store).catch(() => {});
}

export function saveBad(store: UseStore, resourceId: number, at: number): Promise<void> {
  return update<BadBuilds>(BAD_BUILDS_KEY, (bad) => ({ ...bad, [resourceId]: at }), store).catch(() => {});
}
