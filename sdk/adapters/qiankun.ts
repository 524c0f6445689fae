// qiankun adapter. qiankun fetches a micro-app's scripts and runs them as classic scripts in its sandbox,
// so only a classic (IIFE or UMD) build works there: an ES-module build fails with "Cannot use
// 'import.meta' outside a module". qiankun also loads the files itself, without Finch's integrity check
// and fallback. qiankun is not imported: the host passes the returned object to its own registerMicroApps.
import { DEV } from '../../core/dev.js';
import { FinchError } from '../../core/FinchError.js';
import type { ManifestEntry } from '../../core/manifest.js';
import type { Finch } from '../types.js';
import type { FinchContainer } from './finchApp.js';

/** qiankun's entry object: scripts run in order, styles are added first, html is the app's own container. */
export interface QiankunEntry {
  scripts: string[];
  styles: string[];
  html: string;
}

export interface QiankunEntryOptions {
  /** The app's HTML inside qiankun's container. @default `<div id="finch-{product}"></div>` */
  html?: string;
  /** What relative `baseUrl`s and dependencies resolve against. @default location.href */
  base?: string;
}

/**
 * The build's folder as `window.FinchBase[product]`, read by a Finch classic build where it has no
 * `document.currentScript`: qiankun evaluates the script's text, and without it images and webpack
 * chunks would resolve against the host page. qiankun's sandbox reads globals it lacks from the window.
 */
function publishBase(product: string, base: URL): void {
  const w = window as { FinchBase?: Record<string, string> };
  (w.FinchBase ??= {})[product] = base.href;
}

/**
 * qiankun's entry object for a chosen build: its dependencies, then its `.js` files as absolute URLs
 * in manifest order; its `.css` files as styles. A `.mjs` file is refused: qiankun cannot run modules.
 * Also sets `window.FinchBase[product]` to the build's folder, where the build finds its own files.
 */
export function qiankunEntry(product: string, entry: ManifestEntry, options: QiankunEntryOptions = {}): QiankunEntry {
  const base = new URL(entry.baseUrl, options.base ?? location.href);
  const url = (file: string) => new URL(file, base).href;
  // `.mjs`, or what the build says is a module (`finch publish` records Vite's `.js` entries so).
  const modules = entry.files.filter((file) => file.endsWith('.mjs') || entry.scripts?.[file] === 'module');
  if (modules.length > 0) {
    const message = DEV
      ? `Failed to build qiankun's entry for ${product} ${entry.version}: ${modules.join(', ')} is an ES module, and qiankun runs scripts as classic scripts. Publish an IIFE or UMD build, or use the single-spa adapter.`
      : 'invalid-input';
    throw new FinchError('invalid-input', message, { product, version: entry.version, files: modules });
  }
  publishBase(product, base);
  return {
    scripts: [...entry.dependencies.map((dep) => new URL(dep, options.base ?? location.href).href), ...entry.files.filter((f) => f.endsWith('.js')).map(url)],
    styles: entry.files.filter((file) => file.endsWith('.css')).map(url),
    html: options.html ?? `<div id="finch-${product}"></div>`,
  };
}

/** The app object of qiankun's `registerMicroApps` and `loadMicroApp`. */
export interface QiankunApp {
  name: string;
  entry: QiankunEntry;
  container: FinchContainer;
  activeRule: unknown;
  props: Record<string, unknown>;
}

export interface QiankunAppOptions extends QiankunEntryOptions {
  /** qiankun's container for the app: a selector or an element. */
  container: FinchContainer;
  /** qiankun's `activeRule`; ignored by `loadMicroApp`. @default '/' */
  activeRule?: unknown;
  /** Props for the app's lifecycles; Finch adds `version` and `resourceId` of the chosen build. @default {} */
  props?: Record<string, unknown>;
}

/**
 * The app object for the build Finch chose for this page, or null when the product has none (call it
 * from `finch.register`'s hook, once login settled). The build must be a classic script that sets
 * qiankun's lifecycles (bootstrap, mount, unmount) on `window[product]`.
 * @example finch.register('dashboard', (e) => { const app = e && qiankunApp(finch, 'dashboard', { container: '#c' }); if (app) { registerMicroApps([app]); start(); } });
 */
export function qiankunApp(finch: Finch, product: string, options: QiankunAppOptions): QiankunApp | null {
  const entry = finch.resource(product);
  if (entry === null) return null;
  return {
    name: product,
    entry: qiankunEntry(product, entry, options),
    container: options.container,
    activeRule: options.activeRule ?? '/',
    props: { ...options.props, version: entry.version, resourceId: entry.resourceId },
  };
}
