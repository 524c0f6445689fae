import type { Manifest } from '../core/manifest.js';
import type { BadBuilds } from '../core/protocol.js';
import type { Pins, SwDeps, SwState } from './state.js';

/** A bad build is avoided for a day: a 404 may be a deploy still in progress, a day later it is retried. */
const BAD_FOR_MS = 86_400_000;

/** The pins a page starting now gets: the manifest's builds, or the fallback of one this browser saw fail. */
export function pinsFromManifest(manifest: Manifest | null, bad: BadBuilds, now: number): Pins {
  const pins: Pins = {};
  for (const [product, entry] of Object.entries(manifest?.products ?? {})) {
    const failedAt = bad[entry.resourceId];
    pins[product] = entry.fallback && failedAt !== undefined && now - failedAt < BAD_FOR_MS ? entry.fallback : entry;
  }
  return pins;
}

/** Pins one page from the current manifest (a navigation's new client, login/logout with `pin: true`). */
export function pinClient(state: SwState, deps: SwDeps, clientId: string): Pins {
  const pins = pinsFromManifest(state.manifest, state.bad, deps.now());
  // Requests without a client (clientId '') get the current manifest but keep nothing.
  if (clientId) {
    state.pins.set(clientId, pins);
    deps.savePins(state.pins);
  }
  return pins;
}

/** The pins of one page; a page first seen now (it started before this worker) is pinned on its first request. */
export function pinsOf(state: SwState, deps: SwDeps, clientId: string): Pins {
  return state.pins.get(clientId) ?? pinClient(state, deps, clientId);
}
