import { DEV } from '../core/dev.js';
import { FinchError, isFinchError } from '../core/FinchError.js';
import type { Manifest, ManifestBuild, ManifestEntry } from '../core/manifest.js';
import { CURRENT_KEY, manifestKey } from '../core/protocol.js';
import type { StoredManifest, WorkerToPage } from '../core/protocol.js';
import { joinUrl } from '../core/url/urlSafety.js';
import { validateManifest } from '../core/validateManifest.js';
import { backoffDelay } from './backoff.js';
import { createReporter } from './createReporter.js';
import { fetchManifest } from './fetchManifest.js';
import { idbStore, safeStore } from './FinchStore.js';
import { injectFile } from './injectFile.js';
import type { Finch, FinchEvents, FinchHook, FinchOptions, FinchSource } from './types.js';
import { workerLink } from './workerLink.js';

/**
 * Creates the page's Finch client. Nothing happens until `login`.
 * @example
 * const finch = createFinch({ endpoint: '/api/v1', products: ['dashboard'], serviceWorker: '/finch-sw.js' });
 * await finch.login('alice');
 * await finch.load('dashboard');
 */
export function createFinch(o: FinchOptions): Finch {
  const now = o.now || Date.now;
  // Looked up per call, so a fetch patched after createFinch (msw, polyfills) is used.
  const f = o.fetch || ((i: string, r: RequestInit) => fetch(i, r));
  const timeoutMs = o.timeoutMs ?? 3000;
  const maxStaleMs = (o.maxStaleSeconds ?? 604_800) * 1000;
  const prefix = o.assetPrefix ?? '/apps/';
  const endpoint = o.endpoint.replace(/\/+$/, '');
  const policy = {
    origin: location.origin,
    allowedOrigins: [...(o.assetOrigins || []), new URL(endpoint, location.href).origin],
  };

  const listeners: Record<string, Set<(d: unknown) => void>> = {};
  const emit = <K extends keyof FinchEvents>(k: K, d: FinchEvents[K]): void =>
    listeners[k]?.forEach((l) => {
      try {
        l(d);
      } catch (e) {
        // A throwing listener must not break the SDK; rethrown apart so it still shows in the console.
        setTimeout(() => {
          throw e;
        });
      }
    });
  const fail = (e: unknown): void =>
    emit('error', isFinchError(e) ? e : new FinchError('internal', DEV ? String(e) : '', { cause: e }));

  const store = safeStore(o.store ? () => o.store! : idbStore, (cause) =>
    fail(new FinchError('storage-error', DEV ? 'Failed to use IndexedDB: Finch keeps manifests in memory for this page.' : '', { cause })),
  );
  const report = createReporter(endpoint + '/reports', f);
  const link = workerLink(
    o.serviceWorker,
    timeoutMs,
    (m: WorkerToPage) => m.type === 'finch:fallback' && toFallback(m.product, m.reason, m.url, m.resourceId),
    fail,
  );

  // Bumped by login and logout; any async step that finds it changed belongs to a previous user (R13).
  let gen = 0;
  let user: string | undefined;
  let attrs: Record<string, unknown> = {};
  let stored: StoredManifest | null = null;
  /** This page's builds: set by login/logout and fallbacks only, never by a refresh (CONTRACT §5). */
  let page: Record<string, ManifestEntry> = {};
  let decided = false;
  /** A Finch worker controls the page and took this page's manifest: virtual URLs work. */
  let acked = false;
  let stopped = false;
  let failing = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Promise<void> = Promise.resolve();
  const hooks: Record<string, Set<FinchHook>> = {};
  const loads: Record<string, Promise<void>> = {};
  const deps: Record<string, Promise<void>> = {};
  const seen = new Set<string>();

  /** The user's stored manifest if it still passes today's checks (storage can be old or tampered with). */
  async function read(u: string): Promise<StoredManifest | null> {
    const s = (await store.get(manifestKey(u))) as StoredManifest | undefined;
    try {
      return s ? { ...s, manifest: validateManifest(s.manifest, policy) } : null;
    } catch {
      return null;
    }
  }

  /** One round with the control plane; true when it gave a usable manifest (200 or 304), now in `stored`. */
  async function ask(g: number): Promise<boolean> {
    const u = user!;
    try {
      const r = await fetchManifest(f, endpoint, { userId: u, products: o.products, attributes: attrs }, stored?.etag, timeoutMs, policy);
      if (g !== gen) return false;
      attempt = 0;
      stored = r.manifest ? { manifest: r.manifest, storedAt: now(), etag: r.etag } : { ...stored!, storedAt: now() };
      await store.set(manifestKey(u), stored);
      if (g !== gen) return false;
      if (failing) emit('recovered', { userId: u });
      failing = false;
      if (r.manifest) emit('update', r.manifest);
      return true;
    } catch (e) {
      if (g !== gen) return false;
      const c = (e as FinchError).code;
      // 401/403: asking again cannot help until the next login. 404 and bad manifests: no retry, but
      // the next refresh() or login asks again.
      if (c === 'unauthorized' || c === 'forbidden') stopped = true;
      else if (c === 'network-error' || c === 'timeout' || c === 'rate-limited') {
        timer = setTimeout(refresh, backoffDelay(attempt++, (e as FinchError).details.retryAfter as string | null, now()));
      }
      failing = true;
      fail(e);
      return false;
    }
  }

  /** Background work: never rejects, failures become `error` events. */
  async function refresh(): Promise<void> {
    if (user === undefined || stopped) return;
    clearTimeout(timer);
    try {
      if (await ask(gen)) {
        worker(stored!.manifest);
        // pin: false: this page keeps its builds, later navigations get the new ones (R8).
        await link.post({ type: 'finch:manifest', manifest: stored!.manifest, pin: false });
      }
    } catch (e) {
      fail(e);
    }
  }

  /** The kill switch acts on a valid manifest only; no answer, a 5xx or being offline never turn the worker off (R2). */
  function worker(m: Manifest | null): boolean {
    if (m && !m.serviceWorker.enabled) link.off();
    else link.register();
    return !m || m.serviceWorker.enabled;
  }

  /** Points new navigations and this page at `m`; hooks hear about every product whose build changed. */
  async function settle(g: number, m: Manifest | null): Promise<void> {
    await store.set(CURRENT_KEY, { userId: user ?? null });
    if (g !== gen) return;
    const ok = worker(m) && (await link.post({ type: 'finch:manifest', manifest: m, pin: true }));
    if (g !== gen) return;
    acked = ok;
    const old = page;
    const first = !decided;
    page = { ...m?.products };
    decided = true;
    for (const k in hooks) {
      if (first || old[k]?.resourceId !== page[k]?.resourceId) hooks[k]!.forEach((h) => invoke(k, h));
    }
  }

  function invoke(k: string, h: FinchHook): void {
    const e = page[k] || null;
    if (e) expose(k, e);
    try {
      h(e);
    } catch (x) {
      fail(x);
    }
  }

  function expose(k: string, e: ManifestEntry): void {
    const key = k + '\n' + e.resourceId;
    if (seen.has(key)) return;
    seen.add(key);
    emit('exposure', { product: k, version: e.version, resourceId: e.resourceId });
    report({ kind: 'exposure', product: k, resourceId: e.resourceId });
  }

  /** Switches the product to its fallback build for this page; false when there is none (or it already happened). */
  function toFallback(k: string, reason: string, url: string, from?: number): boolean {
    const e = page[k];
    const fb = e?.fallback;
    if (!fb || (from !== undefined && from !== e.resourceId)) return false;
    const to: ManifestEntry = { ...e, ...fb, status: 'full', fallback: undefined };
    page[k] = to;
    // The worker reports what it detected itself.
    if (from === undefined) report({ kind: reason === 'integrity' ? 'integrity-error' : 'load-error', product: k, resourceId: e.resourceId, url });
    emit('fallback', { product: k, from: e, to, reason, url });
    hooks[k]?.forEach((h) => invoke(k, h));
    return true;
  }

  /** Resolves when every file loaded; on failure removes what it added, so two builds never mix. */
  function inject(k: string, b: ManifestBuild, virtual: boolean): Promise<unknown> {
    const els: Element[] = [];
    return Promise.all(
      b.files.map((file) => {
        const type = /\.css$/.test(file) ? 'css' : /\.m?js$/.test(file) ? 'module' : '';
        if (!type) return;
        const [el, done] = injectFile(virtual ? prefix + k + '/' + file : joinUrl(b.baseUrl, file, policy), type, b.integrity[file]);
        els.push(el);
        return done;
      }),
    ).catch((x: unknown) => {
      els.forEach((el) => el.remove());
      throw x;
    });
  }

  async function loadProduct(k: string, e: ManifestEntry): Promise<void> {
    // Shared scripts (UMD globals, mostly) run once per page, before any product naming them.
    await Promise.all(
      e.dependencies.map((u) => (deps[u] ||= injectFile(u, /\.mjs$/.test(u) ? 'module' : 'text/javascript')[1].catch(fail))),
    );
    try {
      await inject(k, e, acked);
    } catch (x) {
      const err = x as FinchError;
      const url = String(err.details?.url);
      // Unless the worker already switched this page (its fallback bytes then fail the gray hash too).
      if (page[k] === e) {
        if (!toFallback(k, err.code === 'integrity-error' ? 'integrity' : 'load', url)) {
          report({ kind: err.code === 'integrity-error' ? err.code : 'load-error', product: k, resourceId: e.resourceId, url });
          return fail(x);
        }
        void link.post({ type: 'finch:fallback', product: k });
      }
      // The fallback loads from its baseUrl, not the virtual path: a module URL that already ran
      // (the gray main.js) would not run again, and its relative chunks now resolve in the fallback build.
      if (!page[k]) return; // logged out meanwhile
      try {
        await inject(k, page[k]!, false);
      } catch (y) {
        return fail(y);
      }
    }
    if (page[k]) expose(k, page[k]!);
  }

  return {
    login(userId, attributes = {}) {
      const g = ++gen;
      clearTimeout(timer);
      user = userId;
      attrs = attributes;
      stored = null;
      stopped = false;
      attempt = 0;
      return (pending = (async () => {
        const s = await read(userId);
        if (g !== gen) return;
        stored = s;
        const age = s ? now() - s.storedAt : NaN;
        let source: FinchSource;
        if (s && age < s.manifest.ttlSeconds * 1000) source = 'cache';
        else if (await ask(g)) source = 'network';
        else if (g !== gen) return;
        else source = age < maxStaleMs ? 'stale' : 'none';
        await settle(g, source === 'none' ? null : stored!.manifest);
        if (g !== gen) return;
        emit('ready', { userId, source });
        // The background refresh waits for the builds this page is loading: a repeat visit mounts
        // with no request to the control plane in front of it.
        // (A macrotask after they settle, so the host's own `await load(); mount()` runs first.)
        const later = () => void (timer = setTimeout(refresh));
        if (source === 'cache') timer = setTimeout(() => void Promise.all(Object.values(loads)).then(later, later));
      })().catch(fail));
    },
    logout() {
      const g = ++gen;
      const u = user;
      clearTimeout(timer);
      user = undefined;
      stored = null;
      return (pending = (async () => {
        if (u !== undefined) await store.del(manifestKey(u));
        await settle(g, null);
      })().catch(fail));
    },
    resource: (k) => page[k] || null,
    register(k, h) {
      const set = (hooks[k] ||= new Set());
      set.add(h);
      if (decided) invoke(k, h);
      return () => void set.delete(h);
    },
    load: (k) =>
      pending.then(() => {
        const e = page[k];
        // Once per product per page; a product without a build for this user has nothing to load.
        return e && (loads[k] ||= loadProduct(k, e));
      }),
    refresh,
    on(k, l) {
      const set = (listeners[k] ||= new Set());
      set.add(l as (d: unknown) => void);
      return () => void set.delete(l as (d: unknown) => void);
    },
  };
}
