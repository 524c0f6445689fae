import type { FinchError } from '../core/FinchError.js';
import type { ManifestBuild, ManifestEntry } from '../core/manifest.js';
import { joinUrl } from '../core/url/urlSafety.js';
import type { UrlPolicy } from '../core/url/urlSafety.js';
import type { PageBuilds } from './createPageBuilds.js';
import type { FinchReport } from './createReporter.js';
import { injectFile } from './injectFile.js';
import type { InsertElement } from './injectFile.js';
import { watchLazyFailures } from './watchLazyFailures.js';

export interface LoaderSettings {
  builds: PageBuilds;
  assetPrefix: string;
  policy: UrlPolicy;
  insert: InsertElement;
  report(report: FinchReport): void;
  fail(error: unknown): void;
  /** True while a Finch worker holds this page's manifest: files load from virtual URLs. */
  viaWorker(): boolean;
  /** Tells the worker that this page's `product` moved to its fallback. */
  tellWorker(product: string): void;
}

export interface Loader {
  /** Loads this page's build of `product` once per page; undefined when the page has none. Never rejects. */
  load(product: string): Promise<void> | undefined;
  /** Settles once every load started so far has. */
  loadsSettled(): Promise<unknown>;
}

/**
 * Puts builds into the page: shared dependencies first, then the build's CSS and JS with their
 * integrity. A failing file, an entry file or (without a worker) a lazy chunk of a running gray build,
 * moves the whole product to its fallback build; two builds never mix.
 */
export function createLoader(settings: LoaderSettings): Loader {
  const { builds, policy, insert, fail } = settings;
  const loads: Record<string, Promise<void>> = {};
  const dependencies: Record<string, Promise<void>> = {};
  /** product → the elements of its build now in the page. */
  const placed: Record<string, Element[]> = {};
  /** product → its gray build, once every entry file of it loaded from its baseUrl (no worker). */
  const runningGray: Record<string, ManifestEntry> = {};
  let watching = false;

  /** Resolves when every file loaded; on a failure removes what it added, so two builds never mix. */
  function insertBuild(product: string, build: ManifestBuild, virtual: boolean): Promise<unknown> {
    const added: Element[] = (placed[product] = []);
    return Promise.all(
      build.files.map((file) => {
        const kind = build.scripts?.[file];
        const type = /\.css$/.test(file) ? 'css' : kind === 'classic' ? 'text/javascript' : kind || /\.m?js$/.test(file) ? 'module' : '';
        if (!type) return;
        const url = virtual ? settings.assetPrefix + product + '/' + file : joinUrl(build.baseUrl, file, policy);
        const [element, loaded] = injectFile(url, type, build.integrity[file], insert);
        added.push(element);
        return loaded;
      }),
    ).catch((error: unknown) => {
      added.forEach((element) => element.remove());
      throw error;
    });
  }

  /**
   * Moves `product` off `entry` after its file at `url` failed, then puts the fallback build in the
   * page; false when there is no fallback. Rejects when a fallback file fails.
   */
  async function fallBackFrom(product: string, entry: ManifestEntry, integrity: boolean, url: string): Promise<boolean> {
    // Unless the worker already switched this page (its fallback bytes then fail the gray hash too).
    if (builds.resource(product) === entry) {
      if (!builds.fallBack(product, integrity ? 'integrity' : 'load', url)) return false;
      settings.tellWorker(product);
    }
    // The fallback loads from its baseUrl, not the virtual path: a module URL that already ran
    // (the gray main.js) would not run again, and its relative chunks now resolve in the fallback build.
    const fallback = builds.resource(product);
    if (fallback) await insertBuild(product, fallback, false); // else logged out meanwhile
    return true;
  }

  /** A lazy chunk or preload at `url` (or named in a message) failed: the gray build it belongs to falls back. */
  function lazyFailed(url: string): void {
    for (const product in runningGray) {
      const entry = runningGray[product] as ManifestEntry;
      if (!url.includes(new URL(entry.baseUrl, document.baseURI).href)) continue;
      delete runningGray[product]; // once per product per page
      // A login or logout since: the page's choice for this product is no longer this build's to undo.
      if (builds.resource(product) !== entry) continue;
      placed[product]?.forEach((element) => element.remove());
      fallBackFrom(product, entry, false, url)
        .then((moved) => moved && expose(product))
        .catch(fail);
    }
  }

  function expose(product: string): void {
    const running = builds.resource(product);
    if (running) builds.expose(product, running);
  }

  async function loadProduct(product: string, entry: ManifestEntry): Promise<void> {
    // Shared scripts (UMD globals, mostly) run once per page, before any product naming them.
    await Promise.all(
      entry.dependencies.map(
        (url) => (dependencies[url] ||= injectFile(url, /\.mjs$/.test(url) ? 'module' : 'text/javascript', undefined, insert)[1].catch(fail)),
      ),
    );
    const virtual = settings.viaWorker();
    try {
      await insertBuild(product, entry, virtual);
      // Without a worker nobody else sees its lazy chunks fail.
      if (!virtual && entry.fallback && builds.resource(product) === entry) {
        runningGray[product] = entry;
        watching ||= (watchLazyFailures(lazyFailed), true);
      }
    } catch (caught) {
      const error = caught as FinchError;
      const url = String(error.details?.url);
      const integrity = error.code === 'integrity-error';
      try {
        if (!(await fallBackFrom(product, entry, integrity, url))) {
          settings.report({ kind: integrity ? error.code : 'load-error', product, resourceId: entry.resourceId, url, token: entry.reportToken });
          return fail(error);
        }
      } catch (fallbackError) {
        return fail(fallbackError);
      }
    }
    expose(product);
  }

  return {
    load(product) {
      const entry = builds.resource(product);
      return entry ? (loads[product] ||= loadProduct(product, entry)) : undefined;
    },
    loadsSettled: () => Promise.all(Object.values(loads)),
  };
}
