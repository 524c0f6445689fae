/**
 * Keeps the compiled snapshot current. This process's own writes call `refresh()` after they commit.
 * Other processes on the same PostgreSQL database are heard through LISTEN/NOTIFY (the revision bump
 * notifies on commit), with a cheap revision poll as a safety net for a dropped listening connection.
 */
import { compileSnapshot } from '../../core/index.js';
import type { Db } from '../db/Db.js';
import { RELEASES_PATH } from '../model/releaseLocation.js';
import { CHANGES_CHANNEL, readRevision } from '../store/revision.js';
import { loadSnapshotInput } from './loadSnapshotInput.js';
import type { LoadedSnapshot, SnapshotStore } from './SnapshotStore.js';

export interface SnapshotStoreOptions {
  ttlSeconds: number;
  serviceWorkerEnabled: boolean;
  /** Builds hosted here (`/releases/…`) are named by absolute URLs on this origin when set. */
  releasesOrigin?: string | null;
  /** Revision poll interval in ms; 0 turns polling off. @default 5000 on PostgreSQL, else 0 (one process holds PGlite) */
  pollMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export async function createSnapshotStore(db: Db, opts: SnapshotStoreOptions): Promise<SnapshotStore> {
  const now = opts.now ?? Date.now;
  const onError = opts.onError ?? (() => {});

  async function load(): Promise<LoadedSnapshot> {
    const started = performance.now();
    const input = await loadSnapshotInput(db, opts);
    const releasesOrigin = opts.releasesOrigin ?? null;
    if (releasesOrigin !== null) {
      const there = (url: string): string => (url.startsWith(RELEASES_PATH) ? releasesOrigin + url : url);
      input.resources = input.resources.map((r) => ({ ...r, baseUrl: there(r.baseUrl), dependencies: r.dependencies.map(there) }));
    }
    const snapshot = compileSnapshot(input);
    return { snapshot, revision: input.revision, reportProducts: new Set(input.reportProducts), builtAt: now(), buildMs: performance.now() - started };
  }

  let current = await load();
  let running: Promise<LoadedSnapshot> | null = null;
  let queued: Promise<LoadedSnapshot> | null = null;
  let closed = false;

  function start(): Promise<LoadedSnapshot> {
    running = load()
      .then((next) => {
        // Never go back: a slow load that started earlier must not replace a newer snapshot.
        if (next.revision >= current.revision) current = next;
        return current;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  function refresh(): Promise<LoadedSnapshot> {
    if (running === null) return start();
    // The running load may have begun before the caller's commit: one more load after it covers every
    // caller that arrives meanwhile.
    if (queued === null) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return running ?? start();
        });
    }
    return queued;
  }

  const backgroundRefresh = (): void => {
    if (!closed) refresh().catch(onError);
  };

  const stopListening = await db.listen(CHANGES_CHANNEL, {
    onNotify: (payload) => {
      if (Number(payload) > current.revision) backgroundRefresh();
    },
    onReconnect: backgroundRefresh,
    onError,
  });

  const pollMs = opts.pollMs ?? (db.kind === 'postgres' ? 5000 : 0);
  let polling = false;
  const poll = pollMs > 0 ? setInterval(() => {
    if (polling || closed) return;
    polling = true;
    readRevision(db)
      .then((rev) => { if (rev > current.revision) backgroundRefresh(); }, onError)
      .finally(() => { polling = false; });
  }, pollMs) : null;
  poll?.unref();

  return {
    current: () => current,
    refresh,
    async close() {
      closed = true;
      if (poll !== null) clearInterval(poll);
      await stopListening();
      // Let an in-flight load finish before the caller closes the database under it.
      await Promise.allSettled([running, queued]);
    },
  };
}
