/**
 * One audit row per mutation, written with the transaction's own connection: if it fails, the mutation
 * fails with it (R20).
 */
import type { Queryable } from '../db/Db.js';

export interface AuditEntry {
  /** From `actorName(request.principal)`: `user:<name>`, `token:<id>` or `anonymous`. */
  actor: string;
  /** Verb and noun, like `strategy.update` or `product.delete`. */
  action: string;
  /** What was changed, like `strategy:7` or `product:dashboard`. */
  target: string;
  product?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

export async function writeAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    'INSERT INTO audit (actor, action, target, product, before, after, request_id) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)',
    [
      entry.actor,
      entry.action,
      entry.target,
      entry.product ?? null,
      entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
      entry.requestId ?? null,
    ],
  );
}
