/** The `rollouts` table: every SQL statement that reads or writes it, and the database clock rollouts run on. */
import { FinchError, type Rollout, type RolloutPlan, type RolloutPosition, type RolloutState } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { iso } from './rowValues.js';

/** A rollout row: the core's view (plan and position) plus what the server keeps beside it. */
export interface RolloutRow extends Rollout {
  id: number;
  product: string;
  productId: number;
  resourceId: number;
  /** The gray strategy it drives; null only if someone deleted the product's strategies under it. */
  strategyId: number | null;
  priority: number;
  /** The last decision: a sentence, and the figures it rested on (null when no judgement caused it). */
  reason: string;
  figures: unknown;
  decidedAt: string;
  /** Bumped by every write: the compare-and-set token. */
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewRollout {
  productId: number;
  strategyId: number;
  plan: RolloutPlan;
  position: RolloutPosition;
  reason: string;
  createdBy: string;
}

/** The last decision written with a position. */
export interface RolloutDecision {
  position: RolloutPosition;
  reason: string;
  figures: unknown;
}

const SELECT = `SELECT r.id, p.name AS product, r.product_id, r.resource_id, r.strategy_id, r.plan, r.priority, r.state,
  r.stage_index, (extract(epoch FROM r.stage_started_at) * 1000)::float8 AS stage_started_ms, r.reason, r.figures,
  r.decided_at, r.version, r.created_by, r.created_at, r.updated_at
  FROM rollouts r JOIN products p ON p.id = r.product_id`;

/** States whose gray strategy is live. */
const LIVE = `r.state IN ('running', 'paused')`;

function toRollout(r: Record<string, unknown>): RolloutRow {
  return {
    id: Number(r['id']),
    product: String(r['product']),
    productId: Number(r['product_id']),
    resourceId: Number(r['resource_id']),
    strategyId: r['strategy_id'] === null || r['strategy_id'] === undefined ? null : Number(r['strategy_id']),
    plan: r['plan'] as RolloutPlan,
    priority: Number(r['priority']),
    state: r['state'] as RolloutState,
    stageIndex: Number(r['stage_index']),
    stageStartedAt: Math.round(Number(r['stage_started_ms'])),
    reason: String(r['reason']),
    figures: r['figures'] ?? null,
    decidedAt: iso(r['decided_at']),
    version: Number(r['version']),
    createdBy: String(r['created_by']),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * Now, in epoch ms, from the database's clock: every process sharing the database agrees on it, so a
 * stage's hold is measured the same whichever process decides.
 */
export async function databaseNow(q: Queryable): Promise<number> {
  const r = await q.query<{ now: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now');
  return Math.floor(Number(r.rows[0]?.now));
}

/** Rollout `id`; `not-found` when there is none. `lock` holds the row until the transaction ends. */
export async function getRollout(q: Queryable, id: number, lock = false): Promise<RolloutRow> {
  const r = await q.query(`${SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Rollout ${id} does not exist.`);
  return toRollout(row);
}

/** A product's rollouts, newest first. */
export async function listRollouts(q: Queryable, productId: number): Promise<RolloutRow[]> {
  return (await q.query(`${SELECT} WHERE r.product_id = $1 ORDER BY r.id DESC`, [productId])).rows.map(toRollout);
}

/** A product's live rollouts (running or paused), by id. */
export async function listLiveRollouts(q: Queryable, productId: number): Promise<RolloutRow[]> {
  return (await q.query(`${SELECT} WHERE r.product_id = $1 AND ${LIVE} ORDER BY r.id`, [productId])).rows.map(toRollout);
}

/**
 * Ids of the rollouts the engine must look at: the running ones, and the paused ones a guard breach
 * still rolls back. One indexed query per tick, whatever else the table holds.
 */
export async function dueRolloutIds(q: Queryable): Promise<number[]> {
  const r = await q.query<{ id: number }>(
    `SELECT r.id FROM rollouts r WHERE ${LIVE}
        AND (r.state = 'running' OR (r.plan->>'onBreach' = 'rollback' AND jsonb_typeof(r.plan->'guard') = 'object'))
      ORDER BY r.id`,
  );
  return r.rows.map((row) => Number(row.id));
}

/** Names of the products with a live rollout: their manifest entries carry report tokens. */
export async function liveRolloutProducts(q: Queryable): Promise<string[]> {
  const r = await q.query<{ name: string }>(`SELECT DISTINCT p.name FROM rollouts r JOIN products p ON p.id = r.product_id WHERE ${LIVE} ORDER BY p.name`);
  return r.rows.map((row) => row.name);
}

/** Whether a live rollout of build `resourceId` exists. */
export async function liveRolloutOfBuild(q: Queryable, resourceId: number): Promise<number | null> {
  const r = await q.query<{ id: number }>(`SELECT r.id FROM rollouts r WHERE r.resource_id = $1 AND ${LIVE} LIMIT 1`, [resourceId]);
  return r.rows[0] === undefined ? null : Number(r.rows[0].id);
}

export async function insertRollout(q: Queryable, v: NewRollout): Promise<RolloutRow> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO rollouts (product_id, resource_id, strategy_id, plan, priority, state, stage_index, stage_started_at, reason, decided_at, created_by, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, to_timestamp($8::float8 / 1000), $9, clock_timestamp(), $10, clock_timestamp())
     RETURNING id`,
    [v.productId, v.plan.resourceId, v.strategyId, JSON.stringify(v.plan), v.plan.priority, v.position.state, v.position.stageIndex, v.position.stageStartedAt, v.reason, v.createdBy],
  );
  return getRollout(q, Number(r.rows[0]?.id));
}

/**
 * Compare-and-set: writes the decision only while the row still has `version`. False when another
 * process or an operator wrote first: the caller's decision was taken from a row that no longer is.
 */
export async function writeRolloutDecision(q: Queryable, id: number, version: number, d: RolloutDecision): Promise<boolean> {
  const r = await q.query(
    `UPDATE rollouts SET state = $3, stage_index = $4, stage_started_at = to_timestamp($5::float8 / 1000), reason = $6, figures = $7::jsonb,
            decided_at = clock_timestamp(), version = version + 1, updated_at = clock_timestamp()
      WHERE id = $1 AND version = $2`,
    [id, version, d.position.state, d.position.stageIndex, d.position.stageStartedAt, d.reason, json(d.figures)],
  );
  return r.rowCount === 1;
}
