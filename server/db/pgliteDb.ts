/** The embedded store: PGlite (PostgreSQL compiled to WASM) in a data directory. */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import v8 from 'node:v8';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { capYoungGeneration } from './capYoungGeneration.js';
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

/**
 * V8 compiles PGlite's 9 MB of WASM with its baseline compiler, then again with TurboFan for hot
 * functions and keeps both: 30 to 60 MB more resident memory. Finch queries only on writes and snapshot
 * loads, where the baseline code measured as fast or faster (no optimizing compiles to pay for), so
 * the optimizing tier is turned off before the module is compiled. Process-wide, but PGlite is the only
 * WASM the server runs.
 */
let baselineOnly = false;
function useBaselineWasmCompiler(): void {
  if (baselineOnly) return;
  baselineOnly = true;
  v8.setFlagsFromString('--liftoff-only');
}

/**
 * The JS young generation's cap next to PGlite (both semi-spaces). Left alone it grew to 32 MB in the
 * snapshot compile and under load, on top of PGlite's ~55 MB, and made the server's peak. At 8 MB
 * scavenges cost getConsoleVersion ~2 µs more per request, lost in the noise of its throughput. With
 * PostgreSQL there is no PGlite to make room for, so V8 keeps its default.
 */
const YOUNG_GENERATION_BYTES = 8 * 1024 * 1024;

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
    useBaselineWasmCompiler();
    capYoungGeneration(YOUNG_GENERATION_BYTES);
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
