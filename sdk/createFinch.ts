import { isFinchError } from '../core/FinchError.js';
import type { Manifest } from '../core/manifest.js';
import { CURRENT_KEY } from '../core/protocol.js';
import { createBackgroundWork } from './createBackgroundWork.js';
import { createEmitter } from './createEmitter.js';
import { createLoader } from './createLoader.js';
import { createPageBuilds } from './createPageBuilds.js';
import { createReporter } from './createReporter.js';
import { createSession } from './createSession.js';
import { idbStore, safeStore } from './FinchStore.js';
import { appendToHead } from './injectFile.js';
import type { InsertElement } from './injectFile.js';
import { sdkError } from './sdkError.js';
import type { Finch, FinchOptions } from './types.js';
import { workerLink } from './workerLink.js';

/**
 * Creates the page's Finch client. Nothing happens until `login`.
 * @example
 * const finch = createFinch({ endpoint: '/api/v1', products: ['dashboard'], serviceWorker: '/finch-sw.js' });
 * await finch.login('alice');
 * await finch.load('dashboard');
 */
export function createFinch(options: FinchOptions): Finch {
  return assembleFinch(options, appendToHead).finch;
}

export interface AssembledFinch {
  finch: Finch;
  /** Resolves once the work nobody awaits (registration, background refresh, report sends) has finished. */
  settled(): Promise<void>;
}

/** `createFinch` with the page seam given: where files go into the page. Tests use it; hosts never need to. */
export function assembleFinch(options: FinchOptions, insert: InsertElement): AssembledFinch {
  const now = options.now || Date.now;
  // Looked up per call, so a fetch patched after createFinch (msw, polyfills) is used.
  const send = options.fetch || ((input: string, init: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 3000;
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const policy = {
    origin: location.origin,
    allowedOrigins: [...(options.assetOrigins || []), new URL(endpoint, location.href).origin],
  };

  const { emit, on } = createEmitter();
  const background = createBackgroundWork();
  const fail = (error: unknown): void => emit('error', isFinchError(error) ? error : sdkError('internal', { cause: error }));
  const store = safeStore(options.store ? () => options.store! : idbStore, (cause) => fail(sdkError('storage-error', { cause })));
  const report = createReporter(endpoint + '/reports', send, background.track);
  const builds = createPageBuilds(emit, report, fail);
  const link = workerLink(
    options.serviceWorker,
    timeoutMs,
    (message) => message.type === 'finch:fallback' && builds.fallBack(message.product, message.reason, message.url, message.resourceId),
    fail,
  );
  /** A Finch worker controls the page and took this page's manifest: virtual URLs work. */
  let viaWorker = false;
  const loader = createLoader({
    builds,
    assetPrefix: options.assetPrefix ?? '/apps/',
    policy,
    insert,
    report,
    fail,
    viaWorker: () => viaWorker,
    tellWorker: (product) => background.track(link.post({ type: 'finch:fallback', product })),
  });
  const session = createSession({
    fetch: send,
    endpoint,
    products: options.products,
    timeoutMs,
    maxStaleMs: (options.maxStaleSeconds ?? 604_800) * 1000,
    now,
    policy,
    store,
    emit,
    fail,
    // pin: false: this page keeps its builds, later navigations get the new ones.
    refreshed: (manifest) => (followKillSwitch(manifest), link.post({ type: 'finch:manifest', manifest, pin: false })),
  });
  /** The last login or logout: `load` waits for it. */
  let pending: Promise<void> = Promise.resolve();

  /**
   * The kill switch acts on a valid manifest only: no answer, a 5xx or being offline never turn the
   * worker off. True while the worker stays on.
   */
  function followKillSwitch(manifest: Manifest | null): boolean {
    const enabled = !manifest || manifest.serviceWorker.enabled;
    background.track(enabled ? link.register() : link.off());
    return enabled;
  }

  /** Points new navigations and this page at `manifest`; hooks hear about every product whose build changed. */
  async function settle(generation: number, userId: string | null, manifest: Manifest | null): Promise<void> {
    await store.set(CURRENT_KEY, { userId });
    if (!session.isCurrent(generation)) return;
    const handedOver = followKillSwitch(manifest) && (await link.post({ type: 'finch:manifest', manifest, pin: true }));
    if (!session.isCurrent(generation)) return;
    viaWorker = handedOver;
    builds.use(manifest);
  }

  const finch: Finch = {
    login(userId, attributes = {}) {
      const generation = session.start(userId, attributes);
      return (pending = (async () => {
        const found = await session.find(generation);
        if (!found) return;
        await settle(generation, userId, found.manifest);
        if (!session.isCurrent(generation)) return;
        emit('ready', { userId, source: found.source });
        if (found.source === 'cache') background.track(session.refreshAfter(generation, loader.loadsSettled));
      })().catch(fail));
    },
    logout() {
      return (pending = session
        .end()
        .then((generation) => settle(generation, null, null))
        .catch(fail));
    },
    resource: builds.resource,
    register: builds.register,
    load: (product) => pending.then(() => loader.load(product)),
    refresh: session.refresh,
    on,
  };
  return { finch, settled: background.settled };
}
