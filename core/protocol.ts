/**
 * What the SDK and the service worker share: the IndexedDB layout the SDK writes and the worker reads,
 * and the messages between a page and the worker. Both sides import these names; nothing else couples them.
 */
import type { Manifest } from './manifest.js';

/** idb-keyval `createStore(IDB_NAME, IDB_STORE)`: Finch's own database, never the default keyval store. */
export const IDB_NAME = 'finch';
export const IDB_STORE = 'state';

/** Key of one user's stored manifest; the anonymous user (no login) is the empty string. */
export function manifestKey(userId: string | null): string {
  return `manifest:${userId ?? ''}`;
}

/** Key of the pointer to the user whose manifest new navigations get. Value: `CurrentPointer`. */
export const CURRENT_KEY = 'current';

export interface StoredManifest {
  manifest: Manifest;
  /** When it was received from the control plane (epoch ms). */
  storedAt: number;
  /** The ETag it came with, for If-None-Match. */
  etag: string | null;
}

export interface CurrentPointer {
  userId: string | null;
}

/** Key of the builds this browser saw fail (missing file, integrity mismatch); value: `BadBuilds`. */
export const BAD_BUILDS_KEY = 'bad-builds';
/** resourceId → epoch ms when it failed. */
export type BadBuilds = Record<string, number>;

/**
 * Page → worker, always sent with a MessageChannel port; the worker answers `{type: 'finch:ack'}` on it.
 * - `finch:manifest`: the current manifest for new navigations (null: logged out). With `pin: true` the
 *   sending page's own pins are replaced too (login, logout); without it only later pages see it (refresh).
 * - `finch:fallback`: pin this page's `product` to its fallback build (the SDK saw a load fail).
 * - `finch:off`: the kill switch: clear Finch's caches and unregister.
 */
export type PageToWorker =
  | { type: 'finch:manifest'; manifest: Manifest | null; pin: boolean }
  | { type: 'finch:fallback'; product: string }
  | { type: 'finch:off' };

/**
 * Worker → page.
 * - `finch:ack`: the message on this port was applied.
 * - `finch:fallback`: the worker switched this page's `product` to its fallback because a gray file
 *   failed (`reason`: 'network' | 'status' | 'content-type' | 'integrity'); the SDK emits `fallback`.
 */
export type WorkerToPage =
  | { type: 'finch:ack' }
  | { type: 'finch:fallback'; product: string; resourceId: number; fallbackResourceId: number; reason: string; url: string };
