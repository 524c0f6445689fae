/** Reads every row the resolver needs, all from one consistent view of the database. */
import type { SnapshotInput, StrategyStatus } from '../../core/index.js';
import type { Rule } from '../../core/index.js';
import type { Db, QueryResult, Queryable } from '../db/Db.js';
import { RESOURCE_SELECT, toResource } from '../model/rows.js';

interface StrategyDbRow {
  id: number;
  product: string;
  resource_id: number;
  status: StrategyStatus;
  priority: number;
  rule: Rule | null;
  salt: string | null;
  starts_at: number | null;
  ends_at: number | null;
  updated_at: number;
}

/**
 * Strategies per query. PGlite's WASM heap grows to hold a whole result set and never shrinks: the bench
 * store's rules (100,000 listed user ids, 1.6 MB of JSON) in one result kept 1.6 MB more resident for the
 * life of the process, and a bigger store would keep more. Slices of 100 fit in the heap PGlite already has.
 */
const STRATEGY_BATCH = 100;

/** Strategies the resolver can pick, by id, in pages keyed on the last id (same transaction, same view). */
async function readStrategies(q: Queryable): Promise<StrategyDbRow[]> {
  const rows: StrategyDbRow[] = [];
  let after: number | null = null;
  for (;;) {
    const page: QueryResult<StrategyDbRow> = await q.query<StrategyDbRow>(
      `SELECT s.id, p.name AS product, s.resource_id, s.status, s.priority, s.rule, s.salt,
              (extract(epoch FROM s.starts_at) * 1000)::float8 AS starts_at,
              (extract(epoch FROM s.ends_at) * 1000)::float8 AS ends_at,
              (extract(epoch FROM s.updated_at) * 1000)::float8 AS updated_at
         FROM strategies s JOIN products p ON p.id = s.product_id
        WHERE s.status <> 'off'${after === null ? '' : ' AND s.id > $1'}
        ORDER BY s.id
        LIMIT ${STRATEGY_BATCH}`,
      after === null ? [] : [after],
    );
    rows.push(...page.rows);
    const last = page.rows[page.rows.length - 1];
    if (last === undefined || page.rows.length < STRATEGY_BATCH) return rows;
    after = last.id;
  }
}

export async function loadSnapshotInput(db: Db, opts: { ttlSeconds: number; serviceWorkerEnabled: boolean }): Promise<SnapshotInput> {
  return db.tx(async (q) => {
    // One snapshot of the database for every read below, so `revision` matches the rows exactly.
    await q.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const rev = await q.query<{ value: string | number }>('SELECT value FROM revision');
    const products = await q.query<{ id: number; name: string }>('SELECT id, name FROM products ORDER BY id');
    // Rows the resolver can never pick (not deployed, strategies off) are left out to keep the snapshot small.
    const resources = await q.query(
      `${RESOURCE_SELECT} WHERE r.status = 'deployed' AND r.id IN (SELECT resource_id FROM strategies WHERE status <> 'off')`,
    );
    const strategies = await readStrategies(q);
    return {
      revision: Number(rev.rows[0]?.value ?? 0),
      ttlSeconds: opts.ttlSeconds,
      serviceWorkerEnabled: opts.serviceWorkerEnabled,
      products: products.rows.map((p) => ({ id: p.id, name: p.name })),
      resources: resources.rows.map(toResource),
      strategies: strategies.map((s) => ({
        id: s.id,
        product: s.product,
        resourceId: s.resource_id,
        status: s.status,
        priority: s.priority,
        rule: s.rule,
        salt: s.salt,
        startsAt: s.starts_at === null ? null : Number(s.starts_at),
        endsAt: s.ends_at === null ? null : Number(s.ends_at),
        updatedAt: Number(s.updated_at),
      })),
    };
  });
}
