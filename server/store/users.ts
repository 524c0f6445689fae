/** The `users` table (console users): every SQL statement that reads or writes it. */
import { FinchError } from '../../core/FinchError.js';
import type { Queryable } from '../db/Db.js';
import type { Role } from '../model/Principal.js';
import { iso } from './rowValues.js';
import { deleteSessionsOfUser } from './sessions.js';

export interface UserInfo {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  created_at: Date | string;
  updated_at: Date | string;
}

function toInfo(row: UserRow): UserInfo {
  return { id: Number(row.id), username: row.username, role: row.role, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

async function findRow(q: Queryable, username: string, lock = false): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>(`SELECT * FROM users WHERE username = $1${lock ? ' FOR UPDATE' : ''}`, [username]);
  return rows[0] ?? null;
}

export async function listUsers(q: Queryable): Promise<UserInfo[]> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users ORDER BY username');
  return rows.map(toInfo);
}

export async function getUser(q: Queryable, username: string): Promise<UserInfo | null> {
  const row = await findRow(q, username);
  return row ? toInfo(row) : null;
}

/** The row with its hash, for the login check only. */
export async function getUserForLogin(q: Queryable, username: string): Promise<{ id: number; username: string; role: Role; passwordHash: string } | null> {
  const r = await findRow(q, username);
  return r ? { id: Number(r.id), username: r.username, role: r.role, passwordHash: r.password_hash } : null;
}

export async function countUsers(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number | string }>('SELECT count(*) AS n FROM users');
  return Number(rows[0]?.n ?? 0);
}

/**
 * Creates a user; null when the name is taken. Takes the hash (`hashPassword`) rather than the
 * password so the slow hashing happens before the transaction, not while it holds locks.
 */
export async function insertUser(q: Queryable, input: { username: string; passwordHash: string; role: Role }): Promise<UserInfo | null> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING *`,
    [input.username, input.passwordHash, input.role],
  );
  return rows[0] ? toInfo(rows[0]) : null;
}

/** Creates a user; `conflict` when the name is taken. */
export async function createUser(q: Queryable, input: { username: string; passwordHash: string; role: Role }): Promise<UserInfo> {
  const created = await insertUser(q, input);
  if (!created) throw new FinchError('conflict', `Failed to create user "${input.username}": the name is taken.`);
  return created;
}

/**
 * Throws `conflict` when `user` is the last admin: demoting or removing them would lock everyone out
 * of user management. Locks every admin row first, so two such changes cannot both pass.
 */
async function refuseLastAdmin(q: Queryable, user: UserInfo, failure: string): Promise<void> {
  if (user.role !== 'admin') return;
  await q.query("SELECT id FROM users WHERE role = 'admin' FOR UPDATE");
  const { rows } = await q.query<{ n: number | string }>("SELECT count(*) AS n FROM users WHERE role = 'admin'");
  if (Number(rows[0]?.n ?? 0) <= 1) {
    throw new FinchError('conflict', `Failed to ${failure} "${user.username}": it is the last admin. Make another admin first.`);
  }
}

/** Changes role and/or password hash (a new password ends the user's sessions); null when unknown. */
export async function updateUser(
  q: Queryable,
  username: string,
  change: { role?: Role; passwordHash?: string },
): Promise<{ before: UserInfo; after: UserInfo } | null> {
  const row = await findRow(q, username, true);
  if (!row) return null;
  const before = toInfo(row);
  if (change.role !== undefined && change.role !== 'admin') await refuseLastAdmin(q, before, 'change');
  const hash = change.passwordHash ?? null;
  const updated = await q.query<UserRow>(
    `UPDATE users SET role = COALESCE($2, role), password_hash = COALESCE($3, password_hash), updated_at = now()
      WHERE id = $1 RETURNING *`,
    [before.id, change.role ?? null, hash],
  );
  if (hash !== null) await deleteSessionsOfUser(q, before.id);
  return { before, after: toInfo(updated.rows[0]!) };
}

/** Removes a user and their sessions; refuses the last admin; null when unknown. */
export async function deleteUser(q: Queryable, username: string): Promise<UserInfo | null> {
  const row = await findRow(q, username, true);
  if (!row) return null;
  const before = toInfo(row);
  await refuseLastAdmin(q, before, 'remove');
  await q.query('DELETE FROM users WHERE id = $1', [before.id]);
  return before;
}
