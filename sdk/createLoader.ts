import type { FinchError } from '../core/FinchError.js';
import type { ManifestBuild, ManifestEntry } from '../core/manifest.js';
import { joinUrl } from '../core/url/urlSafety.js';
import type { UrlPolicy } from '../core/url/urlSafety.js';
import type { PageBuilds } from './createPageBuilds.js';
import type { FinchReport } from './createReporter.js';
import { injectFile } from './injectFile.js';
import type { InsertElement } from './injectFile.js';

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
 * integrity. A failing file moves the whole product to its fallback build; two builds never mix.
 */
export function createLoader(settings: LoaderSettings): Loader {
  const { builds, policy, insert, fail } = settings;
  const loads: Record<string, Promise<void>> = {};
  const dependencies: Record<string, Promise<void>> = {};

  /** Resolves when every file loaded; on a failure removes what it added, so two builds never mix. */
  function insertBuild(product: string, build: ManifestBuild, virtual: boolean): Promise<unknown> {
    const added: Element[] = [];
    return Promise.all(
      build.files.map((file) => {
        const type = /\.css$/.test(file) ? 'css' : /\.m?js$/.test(file) ? 'module' : '';
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

  async function loadProduct(product: string, entry: ManifestEntry): Promise<void> {
    // Shared scripts (UMD globals, mostly) run once per page, before any product naming them.
    await Promise.all(
      entry.dependencies.map(
        (url) => (dependencies[url] ||= injectFile(url, /\.mjs$/.test(url) ? 'module' : 'text/javascript', undefined, insert)[1].catch(fail)),
      ),
    );
    try {
      await insertBuild(product, entry, settings.viaWorker());
    } catch (caught) {
      const error = caught as FinchError;
      const url = String(error.details?.url);
      // Unless the worker already switched this page (its fallback bytes then fail the gray hash too).
      if (builds.resource(product) === entry) {
        if (!builds.fallBack(product, error.code === 'integrity-error' ? 'integrity' : 'load', url)) {
          settings.report({ kind: error.code === 'integrity-error' ? error.code : 'load-error', product, resourceId: entry.resourceId, url });
          return fail(error);
        }
        settings.tellWorker(product);
      }
      // The fallback loads from its baseUrl, not the virtual path: a module URL that already ran
      // (the gray main.js) would not run again, and its relative chunks now resolve in the fallback build.
      const fallback = builds.resource(product);
      if (!fallback) return; // logged out meanwhile
      try {
        await insertBuild(product, fallback, false);
      } catch (fallbackError) {
        return fail(fallbackError);
      }
    }
    const running = builds.resource(product);
    if (running) builds.expose(product, running);
  }

  return {
    load(product) {
      const entry = builds.resource(product);
      return entry ? (loads[product] ||= loadProduct(product, entry)) : undefined;
    },
    loadsSettled: () => Promise.all(Object.values(loads)),
  };
}
