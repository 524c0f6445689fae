import { createStore, promisifyRequest } from 'idb-keyval';
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

/**
 * The values of `keys`, read in one transaction. The worker calls idb-keyval's store directly: its
 * get/set/update helpers would also bring their default store into the worker's size budget.
 */
function read(store: UseStore, keys: string[]): Promise<unknown[]> {
  return store('readonly', (s) => Promise.all(keys.map((key) => promisifyRequest(s.get(key)))));
}

/** Restores what the SDK and the previous worker left: the current manifest, bad builds, pins of open pages. */
export async function loadStoredState(state: SwState, deps: SwDeps, store: UseStore): Promise<void> {
  const [current, bad, pins] = await read(store, [CURRENT_KEY, BAD_BUILDS_KEY, PINS_KEY]);
  state.bad = (bad as BadBuilds | undefined) ?? {};
  for (const [id, p] of Object.entries((pins as Record<string, Pins> | undefined) ?? {})) state.pins.set(id, p);
  const pointer = current as CurrentPointer | undefined;
  if (!pointer) return;
  const [stored] = (await read(store, [manifestKey(pointer.userId)])) as [StoredManifest | undefined];
  if (!stored) return;
  const manifest = validateManifest(stored.manifest, state.config.policy);
  if (manifest.serviceWorker.enabled) state.manifest = manifest;
  else await turnOff(state, deps);
}

/** Resolves when written (never rejects: a failed write only loses what a restart would recover). */
export function savePins(store: UseStore, pins: Map<string, Pins>): Promise<void> {
  return write(store, (s) => s.put(Object.fromEntries(pins), PINS_KEY));
}

/** Adds one bad build; read and written in one transaction, so a write of another worker version is never lost. */
export function saveBad(store: UseStore, resourceId: number, at: number): Promise<void> {
  return write(store, (s) => {
    const got = s.get(BAD_BUILDS_KEY);
    got.onsuccess = () => s.put({ ...(got.result as BadBuilds | undefined), [resourceId]: at }, BAD_BUILDS_KEY);
  });
}

/** One read-write transaction; resolves when it is committed, never rejects. */
function write(store: UseStore, work: (s: IDBObjectStore) => unknown): Promise<void> {
  return store('readwrite', (s) => {
    work(s);
    return promisifyRequest(s.transaction);
  }).catch(() => {});
}
