import type { FinchError } from '../core/FinchError.js';
import type { Manifest, ManifestEntry } from '../core/manifest.js';
import type { FinchStore } from './FinchStore.js';

export interface FinchOptions {
  /** The control plane's API base, e.g. `/api/v1` or `https://gray.example.com/api/v1`. */
  endpoint: string;
  /** The products this page may load. */
  products: string[];
  /** URL of the Finch service worker, e.g. `/finch-sw.js`. @default undefined (no worker) */
  serviceWorker?: string;
  /** Where the worker serves virtual asset URLs. @default '/apps/' */
  assetPrefix?: string;
  /** Longest wait for the control plane (and for the worker's acknowledgement). @default 3000 */
  timeoutMs?: number;
  /** How old a stored manifest may be and still be used when the control plane does not answer. @default 604800 (7 days) */
  maxStaleSeconds?: number;
  /** Origins besides the page's and the endpoint's that builds may be loaded from. @default [] */
  assetOrigins?: string[];
  /** @default globalThis.fetch */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** @default Finch's idb-keyval store, memory when IndexedDB is missing or fails */
  store?: FinchStore;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** What the user's login settled on: a fresh stored manifest, the network's, an old stored one, or none. */
export type FinchSource = 'cache' | 'network' | 'stale' | 'none';

export interface FinchEvents {
  /** `login` settled; `resource()` answers from now on. */
  ready: { userId: string; source: FinchSource };
  /** A new manifest came from the control plane and was stored; it reaches later navigations. */
  update: Manifest;
  /** A file of a gray build failed: this page now runs the product's `fallback` build. */
  fallback: { product: string; from: ManifestEntry; to: ManifestEntry; reason: string; url: string };
  /** Something failed in the background; the SDK keeps its last good state. */
  error: FinchError;
  /** The control plane answered again after an `error`. */
  recovered: { userId: string };
  /** First use of a product's build in this page. */
  exposure: { product: string; version: string; resourceId: number };
}

/** The micro-frontend hook: the build chosen for this page, null when the product has none. */
export type FinchHook = (entry: ManifestEntry | null) => void;

export interface Finch {
  /** Finds the user's manifest (cache first, then network, never longer than `timeoutMs` on the network). Never rejects for network reasons. */
  login(userId: string, attributes?: Record<string, string | number | boolean>): Promise<void>;
  /** Forgets the user: stored manifest, worker pins, hooks get null. */
  logout(): Promise<void>;
  /** The build this page uses for `product`, or null. */
  resource(product: string): ManifestEntry | null;
  /**
   * Calls `hook` now (once login settled) and whenever this page's build of `product` changes.
   * @example const off = finch.register('dashboard', (v) => mount(v)); off();
   */
  register(product: string, hook: FinchHook): () => void;
  /** Injects the product's dependencies, CSS and JS once per page; falls back on a failing file. */
  load(product: string): Promise<void>;
  /** Asks the control plane again; the answer reaches later navigations (this page keeps its builds). */
  refresh(): Promise<void>;
  /** @returns a function removing the listener. */
  on<K extends keyof FinchEvents>(event: K, listener: (detail: FinchEvents[K]) => void): () => void;
}
