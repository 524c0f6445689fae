import { createStore, del, get, set } from 'idb-keyval';
import { IDB_NAME, IDB_STORE } from '../core/protocol.js';

/**
 * Where the SDK keeps manifests: the seam for tests and for hosts with storage of their own.
 * Values are structured-clonable objects (core/protocol.ts `StoredManifest`, `CurrentPointer`).
 */
export interface FinchStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

export function memoryStore(): FinchStore {
  const m = new Map<string, unknown>();
  return {
    get: async (k) => m.get(k),
    set: async (k, v) => void m.set(k, v),
    del: async (k) => void m.delete(k),
  };
}

/** Finch's own idb-keyval database, the one the service worker reads (core/protocol.ts). */
export function idbStore(): FinchStore {
  const s = createStore(IDB_NAME, IDB_STORE);
  return { get: (k) => get(k, s), set: (k, v) => set(k, v, s), del: (k) => del(k, s) };
}

/**
 * `make()` is called on first use; once it throws or any call rejects (no IndexedDB, private modes,
 * storage wiped) memory takes over for the rest of the page and `onFail` hears about it once.
 */
export function safeStore(make: () => FinchStore, onFail: (cause: unknown) => void): FinchStore {
  const mem = memoryStore();
  let s: FinchStore | undefined;
  const run =
    (op: keyof FinchStore) =>
    async (k: string, v?: unknown): Promise<never> => {
      try {
        return (await (s ||= make())[op](k, v)) as never;
      } catch (e) {
        if (s !== mem) onFail(e);
        s = mem;
        return mem[op](k, v) as never;
      }
    };
  return { get: run('get'), set: run('set'), del: run('del') };
}
