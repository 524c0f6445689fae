/** The embedded store: PGlite (PostgreSQL compiled to WASM) in a data directory. */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
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
 * PGlite has one connection. Its `transaction` holds a lock that plain queries also wait for, so
 * transactions and queries from concurrent requests never interleave on that connection.
 */
export async function openPglite(dataDir: string): Promise<ScriptDb> {
  await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
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
      await pg.close();
    },
  };
}
