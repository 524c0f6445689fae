import type { Manifest, ManifestEntry } from '../core/manifest.js';
import type { Emitter } from './createEmitter.js';
import type { FinchReport } from './createReporter.js';
import type { FinchHook } from './types.js';

export interface PageBuilds {
  /** The build this page runs for `product`, or null. */
  resource(product: string): ManifestEntry | null;
  /** Calls `hook` now (once the first login or logout settled) and whenever this page's build of `product` changes. */
  register(product: string, hook: FinchHook): () => void;
  /**
   * Login and logout only: this page now runs the builds of `manifest`. Hooks hear of every product
   * whose build changed, and of all of them the first time ("no build" is news then too).
   */
  use(manifest: Manifest | null): void;
  /**
   * Switches `product` to its fallback build for this page; false when it has none, or when
   * `fromResourceId` (a worker's message) names a build this page does not run.
   */
  fallBack(product: string, reason: string, url: string, fromResourceId?: number): boolean;
  /** The first use of a build in this page: an `exposure` event and report, once per build. */
  expose(product: string, entry: ManifestEntry): void;
}

/**
 * This page's builds and the hooks that follow them. A refresh never changes them: a page keeps the
 * builds it started with, so two versions of a product never mix in one page.
 */
export function createPageBuilds(emit: Emitter['emit'], report: (report: FinchReport) => void, fail: (error: unknown) => void): PageBuilds {
  let builds: Record<string, ManifestEntry> = {};
  let decided = false;
  const hooks: Record<string, Set<FinchHook>> = {};
  const exposed = new Set<string>();

  function expose(product: string, entry: ManifestEntry): void {
    const key = product + '\n' + entry.resourceId;
    if (exposed.has(key)) return;
    exposed.add(key);
    emit('exposure', { product, version: entry.version, resourceId: entry.resourceId });
    report({ kind: 'exposure', product, resourceId: entry.resourceId, token: entry.reportToken });
  }

  function call(product: string, hook: FinchHook): void {
    const entry = builds[product] || null;
    if (entry) expose(product, entry);
    try {
      hook(entry);
    } catch (error) {
      fail(error);
    }
  }

  const callAll = (product: string): void => hooks[product]?.forEach((hook) => call(product, hook));

  return {
    resource: (product) => builds[product] || null,
    register(product, hook) {
      const set = (hooks[product] ||= new Set());
      set.add(hook);
      if (decided) call(product, hook);
      return () => void set.delete(hook);
    },
    use(manifest) {
      const before = builds;
      const first = !decided;
      builds = { ...manifest?.products };
      decided = true;
      for (const product in hooks) {
        if (first || before[product]?.resourceId !== builds[product]?.resourceId) callAll(product);
      }
    },
    fallBack(product, reason, url, fromResourceId) {
      const from = builds[product];
      const fallback = from?.fallback;
      if (!fallback || (fromResourceId !== undefined && fromResourceId !== from.resourceId)) return false;
      // The fallback's own script kinds and no report token: the gray build's would not verify for it.
      const to: ManifestEntry = { ...from, scripts: undefined, reportToken: undefined, ...fallback, status: 'full', fallback: undefined };
      builds[product] = to;
      // The worker reports what it detected itself.
      if (fromResourceId === undefined) {
        report({ kind: reason === 'integrity' ? 'integrity-error' : 'load-error', product, resourceId: from.resourceId, url, token: from.reportToken });
      }
      emit('fallback', { product, from, to, reason, url });
      callAll(product);
      return true;
    },
    expose,
  };
}
