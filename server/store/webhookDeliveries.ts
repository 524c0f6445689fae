/**
 * The `webhook_deliveries` table, an outbox: events insert rows in the transaction of their change,
 * dispatchers claim due rows and record each attempt. Every time is the database's clock, so several
 * processes agree on what is due.
 */
import type { Queryable } from '../db/Db.js';
import type { WebhookFormat } from './webhooks.js';
import { iso } from './rowValues.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One delivery as the delivery log shows it. */
export interface DeliveryInfo {
  id: number;
  webhookId: number;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due (pending), else when the last one ended. */
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A claimed delivery with what sending it needs, the webhook's secret included. */
export interface ClaimedDelivery {
  id: number;
  event: string;
  payload: unknown;
  /** This attempt's number, 1 for the first. */
  attempt: number;
  createdAt: string;
  url: string;
  secret: string;
  format: WebhookFormat;
}

/** What an attempt came to. `retry` waits `delayMs` (from the database's now). */
export type AttemptOutcome =
  | { status: 'delivered'; statusCode: number }
  | { status: 'retry'; statusCode: number | null; error: string; delayMs: number }
  | { status: 'failed'; statusCode: number | null; error: string };

/**
 * One pending delivery per live webhook subscribed to `event` (by name or `*`), in the caller's
 * transaction; returns how many.
 */
export async function insertDeliveries(q: Queryable, event: string, payload: unknown): Promise<number> {
  const r = await q.query(
    `INSERT INTO webhook_deliveries (webhook_id, event, payload)
     SELECT id, $1, $2::jsonb FROM webhooks
      WHERE disabled_at IS NULL AND ($1 = ANY(events) OR '*' = ANY(events))`,
    [event, JSON.stringify(payload)],
  );
  return r.rowCount;
}

/**
 * Claims up to `limit` due deliveries of live webhooks: counts the attempt and moves `next_attempt_at`
 * `leaseMs` ahead, so nobody else takes them while this attempt runs. Rows locked by another claimer
 * are skipped, and one claimed meanwhile is no longer due when re-checked: each attempt is made once.
 * If the claimer dies, the row is due again when the lease ends.
 */
export async function claimDueDeliveries(q: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await q.query<Record<string, unknown>>(
    `UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1,
            next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
            updated_at = now()
       FROM webhooks w
      WHERE w.id = d.webhook_id AND w.disabled_at IS NULL
        AND d.id IN (SELECT id FROM webhook_deliveries
                      WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        AND d.status = 'pending' AND d.next_attempt_at <= now()
     RETURNING d.id, d.event, d.payload, d.attempts, d.created_at, w.url, w.secret, w.format`,
    [limit, leaseMs],
  );
  return rows.map((r) => ({
    id: Number(r['id']),
    event: String(r['event']),
    payload: typeof r['payload'] === 'string' ? JSON.parse(r['payload']) as unknown : r['payload'],
    attempt: Number(r['attempts']),
    createdAt: iso(r['created_at']),
    url: String(r['url']),
    secret: String(r['secret']),
    format: r['format'] as WebhookFormat,
  }));
}

/**
 * Records attempt number `attempt` of delivery `id`. A compare-and-set on the attempt count: when the
 * claim lapsed and another dispatcher made a later attempt, this stale outcome is dropped (false).
 */
export async function recordAttempt(q: Queryable, id: number, attempt: number, outcome: AttemptOutcome): Promise<boolean> {
  const r = await q.query(
    `UPDATE webhook_deliveries
        SET status = $3,
            last_status_code = $4,
            last_error = $5,
            next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $6::double precision / 1000) ELSE now() END,
            updated_at = now()
      WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
    [
      id,
      attempt,
      outcome.status === 'retry' ? 'pending' : outcome.status,
      outcome.statusCode,
      outcome.status === 'delivered' ? null : outcome.error,
      outcome.status === 'retry' ? outcome.delayMs : 0,
    ],
  );
  return r.rowCount === 1;
}

/** Gives up the pending deliveries of a webhook being deleted, saying why. */
export async function failPendingDeliveries(q: Queryable, webhookId: number, reason: string): Promise<number> {
  const r = await q.query(
    `UPDATE webhook_deliveries SET status = 'failed', last_error = $2, updated_at = now()
      WHERE webhook_id = $1 AND status = 'pending'`,
    [webhookId, reason],
  );
  return r.rowCount;
}

/** One page of a webhook's deliveries, newest first, and the cursor of the next (null on the last page). */
export async function listDeliveries(q: Queryable, webhookId: number, page: { limit: number; before?: number }): Promise<{ deliveries: DeliveryInfo[]; nextBefore: number | null }> {
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT id, webhook_id, event, status, attempts, next_attempt_at, last_status_code, last_error, created_at, updated_at
       FROM webhook_deliveries
      WHERE webhook_id = $1 AND ($2::bigint IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3`,
    [webhookId, page.before ?? null, page.limit + 1],
  );
  const slice = rows.slice(0, page.limit);
  return {
    deliveries: slice.map((r) => ({
      id: Number(r['id']),
      webhookId: Number(r['webhook_id']),
      event: String(r['event']),
      status: r['status'] as DeliveryStatus,
      attempts: Number(r['attempts']),
      nextAttemptAt: iso(r['next_attempt_at']),
      lastStatusCode: r['last_status_code'] === null ? null : Number(r['last_status_code']),
      lastError: (r['last_error'] as string | null) ?? null,
      createdAt: iso(r['created_at']),
      updatedAt: iso(r['updated_at']),
    })),
    nextBefore: rows.length > page.limit ? Number(slice[slice.length - 1]!['id']) : null,
  };
}
