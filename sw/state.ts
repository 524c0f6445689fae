import type { Manifest, ManifestBuild } from '../core/manifest.js';
import type { BadBuilds, WorkerToPage } from '../core/protocol.js';
import type { SwConfig } from './options.js';

/** The build one page uses for one product, with the stable build to fall back on while it is gray. */
export type Pin = ManifestBuild & { fallback?: ManifestBuild };
/** product → pin, for one page. */
export type Pins = Record<string, Pin>;

/** A build file this worker already read from Cache Storage: its body as a Blob, and the response for status and headers. */
export type HotFile = [body: Blob, init: Response];

/** Everything the worker knows; the event wiring owns one, tests build their own. */
export interface SwState {
  config: SwConfig;
  /** The manifest new pages get (null: none, stable builds at their virtual paths). */
  manifest: Manifest | null;
  /** clientId → that page's pins (mixed versions). */
  pins: Map<string, Pins>;
  /** Builds this browser saw fail (missing build, integrity). */
  bad: BadBuilds;
  /** Kill switch thrown: intercept nothing any more. */
  off: boolean;
  /** The builds cache, opened once: `caches.open` per request costs a round trip to the browser. */
  cache?: Promise<Cache> | undefined;
  /**
   * Real URL → file already served from the cache, so a repeat request makes no Cache Storage round trip at
   * all. In Chromium a Blob read from Cache Storage refers to the stored bytes, it is no copy in memory;
   * the total is bounded all the same (loadBuildFile.ts). Entries go with their cache entry (eviction,
   * purge) and with the worker, which the browser stops when idle.
   */
  hot: Map<string, HotFile>;
}

/** The side effects the logic needs; `installFinch` gives the real ones, tests give fakes. */
export interface SwDeps {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
  caches: CacheStorage;
  /** Post a message to one page (no-op when it is gone). */
  post(clientId: string, message: WorkerToPage): void;
  /** Ids of the pages alive now. */
  clientIds(): Promise<string[]>;
  /** Persist the pins (so a restarted or updated worker keeps open pages on their builds) and a bad build. */
  savePins(pins: Map<string, Pins>): void;
  saveBad(resourceId: number, at: number): void;
  unregister(): Promise<unknown>;
  now(): number;
}

export function createState(config: SwConfig): SwState {
  return { config, manifest: null, pins: new Map(), bad: {}, off: false, hot: new Map() };
}
