/**
 * The revision counter: one row, bumped inside every transaction that changes what a manifest may say.
 * The NOTIFY is delivered only when that transaction commits, so other processes reload exactly then.
 */
import type { Queryable } from '../db/Db.js';

export const CHANGES_CHANNEL = 'finch_changes';

export async function bumpRevision(q: Queryable): Promise<number> {
  const r = await q.query<{ value: string | number }>('UPDATE revision SET value = value + 1 RETURNING value');
  const value = Number(r.rows[0]?.value);
  await q.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, String(value)]);
  return value;
}

export async function readRevision(q: Queryable): Promise<number> {
  const r = await q.query<{ value: string | number }>('SELECT value FROM revision');
  return Number(r.rows[0]?.value ?? 0);
}
