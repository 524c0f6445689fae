/** The `sessions` table (console sign-ins): every SQL statement that reads or writes it. Ids arrive hashed. */
import type { Queryable } from '../db/Db.js';
import type { Principal, Role } from '../model/Principal.js';

/** Stores a session by the hash of its id; expired rows go at the same time. */
export async function insertSession(q: Queryable, idHash: string, userId: number, ttlSeconds: number): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [idHash, userId, ttlSeconds],
  );
  // Expired rows are dead weight only; dropping them here keeps the table small without a timer.
  await q.query('DELETE FROM sessions WHERE expires_at < now()');
}

/** The user behind a session, with the role they have now; null for unknown or expired sessions. */
export async function findSessionUser(q: Queryable, idHash: string): Promise<Principal | null> {
  const { rows } = await q.query<{ id: number; username: string; role: Role }>(
    `SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
  );
  const row = rows[0];
  return row ? { kind: 'user', id: Number(row.id), username: row.username, role: row.role } : null;
}

export async function deleteSessionByHash(q: Queryable, idHash: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Signs a user out everywhere (their password changed). */
export async function deleteSessionsOfUser(q: Queryable, userId: number): Promise<void> {
  await q.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}
