import type { PageToWorker } from '../core/protocol.js';
import type { FinchSwOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { SwDeps } from './state.js';
import { createState } from './state.js';
import { handleFetch } from './handleFetch.js';
import { handleMessage } from './handleMessage.js';
import { purgeCaches } from './cacheStore.js';
import { isShell } from './isShell.js';
import { warmer } from './warmBuilds.js';
import { loadStoredState, openStore, saveBad, savePins } from './storage.js';

declare const self: ServiceWorkerGlobalScope;

/**
 * Wires Finch into a service worker: rewrites `{assetPrefix}{product}/{path}` to the build pinned to each
 * page, caches builds, falls back, obeys the kill switch. Call it before your own `fetch` listeners; it
 * answers only requests it owns. It calls `skipWaiting()` and `clients.claim()`.
 * @example installFinch({ shellFiles: ['/', '/finch.js', '/assets/*'] });
 */
export function installFinch(options: FinchSwOptions = {}, scope: ServiceWorkerGlobalScope = self): void {
  const state = createState(resolveOptions(options, scope.location.origin));
  const { config } = state;
  // Asked before this worker opens a cache: caches left by an earlier Finch worker mean this install is an update.
  const updating = Promise.all([config.buildsCache, config.shellCache].map((name) => scope.caches.has(name))).then(
    (found) => !found.includes(false),
    () => false,
  );
  const store = openStore();
  const deps: SwDeps = {
    fetch: (input, init) => scope.fetch(input, init),
    caches: scope.caches,
    post: (id, message) => void scope.clients.get(id).then((client) => client?.postMessage(message)),
    clientIds: async () => (await scope.clients.matchAll({ type: 'all', includeUncontrolled: true })).map((c) => c.id),
    savePins: (pins) => savePins(store, pins),
    saveBad: (id, at) => saveBad(store, id, at),
    unregister: () => scope.registration.unregister(),
    now: Date.now,
  };
  let loaded = false;
  // A broken or missing store leaves an empty state: requests go to the network unchanged.
  const ready = loadStoredState(state, deps, store)
    .catch(() => {})
    .then(() => {
      loaded = true;
    });
  // Warming is never held open by an event: the browser hands a new worker control only once the old one
  // has no event in flight, so a slow network or a page that keeps messaging would delay the update.
  const warm = warmer(state, deps);
  // The SDK stores the manifest before it registers the worker, so on a first visit it is here already.
  const warmed = ready.then(warm);

  scope.addEventListener('install', (event) => {
    // Take over at once (stuck worker): pins are in IndexedDB, so open pages keep their builds under the new worker.
    void scope.skipWaiting();
    const filled = Promise.all([precacheShell(), warmed]);
    // A first visit's page loaded everything before this worker existed: the first install waits until the
    // caches are filled, so the worker controls no page before the next visit can load offline. An update
    // shares the caches its predecessor filled and takes over at once. Nothing here ever rejects.
    event.waitUntil(updating.then((update) => (update ? undefined : filled)));
  });
  scope.addEventListener('activate', (event) => {
    event.waitUntil(Promise.all([scope.clients.claim(), purgeCaches(state, deps, [config.buildsCache, config.shellCache])]));
  });
  scope.addEventListener('fetch', (event) => {
    if (loaded) {
      const answer = handleFetch(event, state, deps);
      if (answer) event.respondWith(answer);
      return;
    }
    // Until the stored state is read, hold back what Finch may own: shell files and sub-resources of the
    // origins builds live on (a page offline may ask for `{baseUrl}{file}` of a worker stopped while idle).
    // Other pages' navigations and other origins are not delayed.
    const { request } = event;
    const url = new URL(request.url);
    const own = url.origin === config.policy.origin;
    const sub = request.method === 'GET' && request.mode !== 'navigate';
    if (isShell(config, url) || (sub && (own || config.policy.allowedOrigins.some((o) => new URL(o).origin === url.origin)))) {
      event.respondWith(ready.then(() => handleFetch(event, state, deps) ?? deps.fetch(request)));
    }
  });
  scope.addEventListener('message', (event) => {
    const source = event.source as Client | null;
    event.waitUntil(
      ready
        .then(() => handleMessage(event.data, source?.id, state, deps))
        .catch(() => {})
        .then(() => {
          event.ports[0]?.postMessage({ type: 'finch:ack' });
          if ((event.data as PageToWorker | null)?.type === 'finch:manifest') void warm();
        }),
    );
  });

  /** The shell of the first visit never went through the worker; fetch it now so the next visit works offline. */
  async function precacheShell(): Promise<void> {
    const cache = await scope.caches.open(config.shellCache);
    for (const path of config.shellFiles) {
      try {
        const response = await scope.fetch(path);
        // A redirected copy could never answer a navigation (Chromium refuses it), so it is not kept.
        if (response.ok && !response.redirected) await cache.put(config.policy.origin + path, response);
      } catch {
        // Offline while installing: the next online visit fills the cache.
      }
    }
  }
}
