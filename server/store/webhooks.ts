/**
 * The `webhooks` table: every SQL statement that reads or writes it. The secret is read only by the
 * dispatcher (to sign), never by what the API answers.
 */
import type { Queryable } from '../db/Db.js';
import { iso, isoOrNull } from './rowValues.js';

/** How a delivery's body is shaped: Finch's JSON event, or `{text}` for a Slack incoming webhook. */
export type WebhookFormat = 'json' | 'slack';

/** A webhook as the API shows it: never its secret. */
export interface WebhookInfo {
  id: number;
  url: string;
  /** Event types, or `['*']` for all. */
  events: string[];
  format: WebhookFormat;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** When it was deleted; deliveries stop then. */
  disabledAt: string | null;
}

interface WebhookRow {
  id: number;
  url: string;
  events: string[] | string;
  format: WebhookFormat;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
  disabled_at: Date | string | null;
}

/** Both drivers give text[] as an array; the text form `{a,b}` is read too, to be safe. */
function eventsOf(raw: string[] | string): string[] {
  return Array.isArray(raw) ? raw : raw.replace(/^\{|\}$/g, '').split(',').filter((e) => e !== '');
}

function toInfo(row: WebhookRow): WebhookInfo {
  return {
    id: Number(row.id),
    url: row.url,
    events: eventsOf(row.events),
    format: row.format,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    disabledAt: isoOrNull(row.disabled_at),
  };
}

const COLUMNS = 'id, url, events, format, created_by, created_at, updated_at, disabled_at';

export async function insertWebhook(
  q: Queryable,
  w: { url: string; events: readonly string[]; secret: string; format: WebhookFormat; createdBy: string },
): Promise<WebhookInfo> {
  const { rows } = await q.query<WebhookRow>(
    `INSERT INTO webhooks (url, events, secret, format, created_by) VALUES ($1, $2::text[], $3, $4, $5) RETURNING ${COLUMNS}`,
    [w.url, w.events, w.secret, w.format, w.createdBy],
  );
  return toInfo(rows[0]!);
}

/** Holds creations of webhooks to one at a time until the transaction ends. */
export async function lockWebhooks(q: Queryable): Promise<void> {
  await q.query("SELECT pg_advisory_xact_lock(hashtext('finch:webhooks'))");
}

export async function countActiveWebhooks(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: string }>('SELECT count(*) AS n FROM webhooks WHERE disabled_at IS NULL');
  return Number(rows[0]!.n);
}

/** Webhooks not deleted, oldest first, without secrets. */
export async function listWebhooks(q: Queryable): Promise<WebhookInfo[]> {
  const { rows } = await q.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE disabled_at IS NULL ORDER BY id`);
  return rows.map(toInfo);
}

/** Webhook `id`, deleted or not; null when there never was one. */
export async function getWebhook(q: Queryable, id: number): Promise<WebhookInfo | null> {
  const { rows } = await q.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
  return rows[0] ? toInfo(rows[0]) : null;
}

/** Marks a webhook deleted; the row before and after, null when unknown. Deleting twice changes nothing. */
export async function disableWebhook(q: Queryable, id: number): Promise<{ before: WebhookInfo; after: WebhookInfo } | null> {
  const { rows } = await q.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1 FOR UPDATE`, [id]);
  if (!rows[0]) return null;
  const updated = await q.query<WebhookRow>(
    `UPDATE webhooks SET disabled_at = COALESCE(disabled_at, now()), updated_at = CASE WHEN disabled_at IS NULL THEN now() ELSE updated_at END
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return { before: toInfo(rows[0]), after: toInfo(updated.rows[0]!) };
}
