/**
 * The `audit` table. One row per mutation, written with the transaction's own connection: if it fails,
 * the mutation fails with it, so no acknowledged change goes unrecorded.
 */
import type { AuditRecord } from '../../core/apiTypes.js';
import type { Queryable } from '../db/Db.js';
import { iso } from './rowValues.js';

/** Who made a change, as the audit log names them, and the request that made it. */
export interface AuditActor {
  /** `user:<name>`, `token:<id>`, `cli`, `system` or `anonymous` (see actorName). */
  actor: string;
  requestId?: string | null;
  /** What else the log should keep about how the change was asked for, like a legacy caller's claimed user. */
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditActor {
  /** Verb and noun, like `strategy.update` or `product.delete`. */
  action: string;
  /** What was changed, like `strategy:7` or `product:dashboard`. */
  target: string;
  product?: string | null;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export async function writeAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    'INSERT INTO audit (actor, action, target, product, before, after, request_id, details) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb)',
    [entry.actor, entry.action, entry.target, entry.product ?? null, json(entry.before), json(entry.after), entry.requestId ?? null, json(entry.details)],
  );
}

export interface AuditFilter {
  product?: string;
  /** Entries at or after this time. */
  from?: string;
  /** Entries before this time. */
  to?: string;
  actor?: string;
  action?: string;
  /** Only entries with a smaller id (the cursor). */
  before?: number;
}

export type { AuditRecord };

/** One page of the log, newest first, and the cursor of the next (null on the last page). */
export async function readAudit(q: Queryable, filter: AuditFilter, limit: number): Promise<{ entries: AuditRecord[]; nextBefore: number | null }> {
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT id, at, actor, action, target, product, before, after, request_id, details FROM audit
      WHERE ($1::text IS NULL OR product = $1)
        AND ($2::timestamptz IS NULL OR at >= $2)
        AND ($3::timestamptz IS NULL OR at < $3)
        AND ($4::text IS NULL OR actor = $4)
        AND ($5::text IS NULL OR action = $5)
        AND ($6::bigint IS NULL OR id < $6)
      ORDER BY id DESC LIMIT $7`,
    [filter.product ?? null, filter.from ?? null, filter.to ?? null, filter.actor ?? null, filter.action ?? null, filter.before ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: Number(r['id']),
      at: iso(r['at']),
      actor: String(r['actor']),
      action: String(r['action']),
      target: String(r['target']),
      product: (r['product'] as string | null) ?? null,
      before: r['before'] ?? null,
      after: r['after'] ?? null,
      requestId: (r['request_id'] as string | null) ?? null,
      details: r['details'] ?? null,
    })),
    nextBefore: rows.length > limit ? Number(page[page.length - 1]!['id']) : null,
  };
}
