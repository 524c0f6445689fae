/** PostgreSQL through a `pg` pool: several connections, so several processes and requests at once. */
import pg from 'pg';
import type { QueryResult, Queryable } from './Db.js';
import { listenPostgres } from './listenPostgres.js';
import type { ScriptDb, ScriptQueryable } from './ScriptDb.js';

type Runner = { query: (sql: string, params?: unknown[]) => Promise<pg.QueryResult> };

function wrap(c: Runner): ScriptQueryable {
  return {
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await c.query(sql, params === undefined ? undefined : [...params]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple protocol, which runs several statements.
      await c.query(sql);
    },
  };
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<ScriptDb & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Fail at start-up, not at the first request, when the database is unreachable.
  const probe = await pool.connect();
  probe.release();

  async function tx<T>(fn: (q: ScriptQueryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  const root = wrap(pool);
  let closed = false;
  return {
    kind: 'postgres',
    pool,
    query: (sql, params) => root.query(sql, params),
    tx: <T>(fn: (q: Queryable) => Promise<T>) => tx(fn),
    txScript: tx,
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
