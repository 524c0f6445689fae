/** The `strategies` table: every SQL statement that reads or writes it. */
import { FinchError, type Rule, type StrategyStatus } from '../../core/index.js';
import type { Strategy as PublicStrategy } from '../../core/apiTypes.js';
import type { QueryResult, Queryable } from '../db/Db.js';
import { iso, isoOrNull, nextId } from './rowValues.js';

/** A strategy as the API shows it, plus its product's id, which the server's checks compare and replies leave out. */
export interface Strategy extends PublicStrategy {
  productId: number;
}

/** What a write sets; `version`, times and the product come from the table. */
export interface StrategyValues {
  resourceId: number;
  status: StrategyStatus;
  priority: number;
  rule: unknown;
  salt: string | null;
  startsAt: string | null;
  endsAt: string | null;
  previousFullId: number | null;
}

const SELECT = `SELECT s.id, p.name AS product, s.product_id, s.resource_id, s.status, s.priority, s.rule,
  s.salt, s.starts_at, s.ends_at, s.version, s.previous_full_id, s.created_at, s.updated_at
  FROM strategies s JOIN products p ON p.id = s.product_id`;

/** Every write bumps the version, so a stale If-Match fails whoever made the change. */
const TOUCH = 'version = version + 1, updated_at = clock_timestamp()';

function toStrategy(r: Record<string, unknown>): Strategy {
  return {
    id: Number(r['id']),
    product: String(r['product']),
    productId: Number(r['product_id']),
    resourceId: Number(r['resource_id']),
    status: r['status'] as StrategyStatus,
    priority: Number(r['priority']),
    rule: (r['rule'] as Rule | null) ?? null,
    salt: (r['salt'] as string | null) ?? null,
    startsAt: isoOrNull(r['starts_at']),
    endsAt: isoOrNull(r['ends_at']),
    version: Number(r['version']),
    previousFullId: r['previous_full_id'] === null || r['previous_full_id'] === undefined ? null : Number(r['previous_full_id']),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

const ruleJson = (rule: unknown): string | null => (rule === undefined || rule === null ? null : JSON.stringify(rule));
const ids = (r: QueryResult<{ id: number }>): number[] => r.rows.map((row) => Number(row.id));

/** Strategy `id`; `not-found` when there is none. */
export async function getStrategy(q: Queryable, id: number): Promise<Strategy> {
  const r = await q.query(`${SELECT} WHERE s.id = $1`, [id]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Strategy ${id} does not exist.`);
  return toStrategy(row);
}

/** A product's strategies by id; `inEffect` leaves out those that are off. */
export async function listStrategies(q: Queryable, productId: number, opts: { inEffect?: boolean } = {}): Promise<Strategy[]> {
  const r = await q.query(`${SELECT} WHERE s.product_id = $1${opts.inEffect === true ? " AND s.status <> 'off'" : ''} ORDER BY s.id`, [productId]);
  return r.rows.map(toStrategy);
}

/** The strategies serving a build (not off), by id: what a status change of the build affects. */
export async function strategiesServing(q: Queryable, resourceId: number): Promise<Array<{ id: number; status: StrategyStatus }>> {
  const r = await q.query<{ id: number; status: StrategyStatus }>(
    `SELECT id, status FROM strategies WHERE resource_id = $1 AND status <> 'off' ORDER BY id`,
    [resourceId],
  );
  return r.rows.map((s) => ({ id: Number(s.id), status: s.status }));
}

/** A new strategy's id, taken first so that retiring the old full can name it. */
export const nextStrategyId = (q: Queryable): Promise<number> => nextId(q, 'strategies');

export async function insertStrategy(q: Queryable, id: number, productId: number, v: StrategyValues): Promise<Strategy> {
  await q.query(
    `INSERT INTO strategies (id, product_id, resource_id, status, priority, rule, salt, starts_at, ends_at, previous_full_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, clock_timestamp())`,
    [id, productId, v.resourceId, v.status, v.priority, ruleJson(v.rule), v.salt, v.startsAt, v.endsAt, v.previousFullId],
  );
  return getStrategy(q, id);
}

/** Compare-and-set: writes only while the row still has `version`; false when someone changed it first. */
export async function updateStrategy(q: Queryable, id: number, version: number, v: StrategyValues): Promise<boolean> {
  const r = await q.query(
    `UPDATE strategies SET resource_id = $3, status = $4, priority = $5, rule = $6::jsonb, salt = $7, starts_at = $8, ends_at = $9,
            previous_full_id = $10, ${TOUCH}
      WHERE id = $1 AND version = $2`,
    [id, version, v.resourceId, v.status, v.priority, ruleJson(v.rule), v.salt, v.startsAt, v.endsAt, v.previousFullId],
  );
  return r.rowCount === 1;
}

/** Turns the product's full strategy (other than `exceptId`) off; returns its id. */
export async function retireFull(q: Queryable, productId: number, exceptId: number): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `UPDATE strategies SET status = 'off', ${TOUCH} WHERE product_id = $1 AND status = 'full' AND id <> $2 RETURNING id`,
    [productId, exceptId],
  );
  return ids(r)[0] ?? null;
}

/** Turns every gray strategy of a product off; returns their ids. */
export async function turnGraysOff(q: Queryable, productId: number): Promise<number[]> {
  return ids(await q.query<{ id: number }>(`UPDATE strategies SET status = 'off', ${TOUCH} WHERE product_id = $1 AND status = 'gray' RETURNING id`, [productId]));
}

/** Turns these strategies off where they are not already; returns the ids that changed. */
export async function turnStrategiesOff(q: Queryable, strategyIds: readonly number[]): Promise<number[]> {
  const off: number[] = [];
  for (const id of strategyIds) {
    const r = await q.query<{ id: number }>(`UPDATE strategies SET status = 'off', ${TOUCH} WHERE id = $1 AND status <> 'off' RETURNING id`, [id]);
    if (r.rows.length > 0) off.push(id);
  }
  return off;
}

/** The product's full strategy and the one it replaced, if any. */
export async function currentFull(q: Queryable, productId: number): Promise<{ id: number; previousFullId: number | null } | null> {
  const r = await q.query<{ id: number; previous_full_id: number | null }>(
    `SELECT id, previous_full_id FROM strategies WHERE product_id = $1 AND status = 'full'`,
    [productId],
  );
  const row = r.rows[0];
  return row === undefined ? null : { id: Number(row.id), previousFullId: row.previous_full_id === null ? null : Number(row.previous_full_id) };
}

/** Sets a status as is, keeping `previous_full_id` (rollback's own moves). */
export async function setStrategyStatus(q: Queryable, id: number, status: StrategyStatus): Promise<void> {
  await q.query(`UPDATE strategies SET status = $2, ${TOUCH} WHERE id = $1`, [id, status]);
}

/** A strategy as the resolver reads it: times in epoch ms. */
export interface ServableStrategyRow {
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

/** Strategies the resolver can pick (not off), by id, in pages keyed on the last id (same transaction, same view). */
export async function listServableStrategies(q: Queryable): Promise<ServableStrategyRow[]> {
  const rows: ServableStrategyRow[] = [];
  let after: number | null = null;
  for (;;) {
    const page: QueryResult<ServableStrategyRow> = await q.query<ServableStrategyRow>(
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
