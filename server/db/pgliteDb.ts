/** The embedded store: PGlite (PostgreSQL compiled to WASM) in a data directory. */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { findClusterTemplate, unpackClusterTemplate } from './clusterTemplate.js';
import { lockDataDir } from './dataDirLock.js';
import type { QueryResult, Queryable } from './Db.js';
import type { ScriptDb, ScriptQueryable } from './ScriptDb.js';

function wrap(q: PGlite | Transaction): ScriptQueryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params === undefined ? undefined : [...params]);
      // PGlite reports affectedRows 0 for SELECT, where pg counts the rows: match pg.
      return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

/**
 * PostgreSQL's shared memory lives inside PGlite's WASM heap, is all touched at start and is never given
 * back. Finch's data is a few MB, read once per snapshot load or write from the OS page cache: 1 MB of
 * buffers (128 pages) loads and writes as fast as 128 MB did. PGlite runs one backend, so no slots for
 * 100 connections, and 64 kB of WAL buffers is what PostgreSQL itself picks for 1 MB of buffers. Together
 * 20 MB less resident than 16 MB of buffers did (150 MB less than the defaults). getConsoleVersion
 * never queries, so none of this touches it.
 */
const START_PARAMS = [
  '-c', 'shared_buffers=1MB',
  '-c', 'wal_buffers=64kB',
  '-c', 'max_connections=1',
  '-c', 'superuser_reserved_connections=0',
  '-c', 'reserved_connections=0',
];

export interface OpenPgliteOptions {
  /** Names this process in the lock, for whoever is refused. @default the command line */
  command?: string;
  /** Start-up messages (waiting for a crashed holder's lock). */
  log?: (message: string) => void;
  /** Initialised cluster unpacked into an empty directory; null runs initdb. @default the built one */
  template?: string | null;
}

/** True when `dir` is missing or empty: nothing there that a template could overwrite. */
function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Opens the store in `dataDir`, holding the directory's lock until `close` (FinchError
 * `data-dir-locked` when another process holds it). PGlite has one connection. Its `transaction`
 * holds a lock that plain queries also wait for, so transactions and queries from concurrent requests
 * never interleave on that connection.
 */
export async function openPglite(dataDir: string, opts: OpenPgliteOptions = {}): Promise<ScriptDb> {
  const lock = await lockDataDir(dataDir, { ...(opts.command !== undefined ? { command: opts.command } : {}), ...(opts.log !== undefined ? { log: opts.log } : {}) });
  let pg: PGlite;
  try {
    const template = opts.template === undefined ? findClusterTemplate() : opts.template;
    // Without a template PGlite runs initdb in a second WASM instance: resident memory peaks near
    // 700 MB, and WASM memory is never returned, so only a restart brings it back down.
    const empty = isEmptyDir(dataDir);
    if (template !== null && empty) await unpackClusterTemplate(template, dataDir);
    else {
      if (empty) opts.log?.('finch: no initialised database cluster in this build: running initdb once (about 700 MB of memory until the next start)');
      await mkdir(dataDir, { recursive: true });
    }
    pg = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...START_PARAMS] });
  } catch (err) {
    await lock.release();
    throw err;
  }
  const root = wrap(pg);
  let closed = false;
  return {
    kind: 'pglite',
    query: (sql, params) => root.query(sql, params),
    tx: <T>(fn: (q: Queryable) => Promise<T>) => pg.transaction((t) => fn(wrap(t))),
    txScript: <T>(fn: (q: ScriptQueryable) => Promise<T>) => pg.transaction((t) => fn(wrap(t))),
    // One process holds the embedded database: its own writes refresh its snapshot directly.
    listen: async () => async () => {},
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        await lock.release();
      }
    },
  };
}
