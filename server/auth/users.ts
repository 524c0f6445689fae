import { randomBytes } from 'node:crypto';
import { FinchError } from '../../core/FinchError.js';
import { writeAudit } from '../audit/writeAudit.js';
import type { Db, Queryable } from '../db/Db.js';
import { hashPassword } from './password.js';
import type { Role } from './Principal.js';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Long enough to resist guessing once scrypt slows each try; short enough for people. */
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 1024;

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

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function toInfo(row: UserRow): UserInfo {
  return { id: Number(row.id), username: row.username, role: row.role, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new FinchError('invalid-input', `Failed to set password: use ${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`);
  }
}

export async function listUsers(q: Queryable): Promise<UserInfo[]> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users ORDER BY username');
  return rows.map(toInfo);
}

export async function getUser(q: Queryable, username: string): Promise<UserInfo | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  return rows[0] ? toInfo(rows[0]) : null;
}

/** The row with its hash, for the login check only. */
export async function getUserForLogin(q: Queryable, username: string): Promise<{ id: number; username: string; role: Role; passwordHash: string } | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  const r = rows[0];
  return r ? { id: Number(r.id), username: r.username, role: r.role, passwordHash: r.password_hash } : null;
}

/**
 * Creates a user; `conflict` when the name is taken. Takes the hash (`hashPassword`) rather than the
 * password so the slow hashing happens before the transaction, not while it holds locks.
 */
export async function createUser(q: Queryable, input: { username: string; passwordHash: string; role: Role }): Promise<UserInfo> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING *`,
    [input.username, input.passwordHash, input.role],
  );
  if (!rows[0]) throw new FinchError('conflict', `Failed to create user "${input.username}": the name is taken.`);
  return toInfo(rows[0]);
}

async function adminCount(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number | string }>("SELECT count(*) AS n FROM users WHERE role = 'admin'");
  return Number(rows[0]?.n ?? 0);
}

/**
 * Changes role and/or password hash (a new password ends the user's sessions). Refuses to demote the last
 * admin, which would lock everyone out of user management.
 */
export async function updateUser(
  q: Queryable,
  username: string,
  change: { role?: Role; passwordHash?: string },
): Promise<{ before: UserInfo; after: UserInfo } | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE username = $1 FOR UPDATE', [username]);
  if (!rows[0]) return null;
  const before = toInfo(rows[0]);
  if (change.role !== undefined && change.role !== 'admin' && before.role === 'admin') {
    await q.query("SELECT id FROM users WHERE role = 'admin' FOR UPDATE");
    if ((await adminCount(q)) <= 1) {
      throw new FinchError('conflict', `Failed to change "${username}": it is the last admin. Make another admin first.`);
    }
  }
  const hash = change.passwordHash ?? null;
  const updated = await q.query<UserRow>(
    `UPDATE users SET role = COALESCE($2, role), password_hash = COALESCE($3, password_hash), updated_at = now()
      WHERE id = $1 RETURNING *`,
    [before.id, change.role ?? null, hash],
  );
  if (hash !== null) await q.query('DELETE FROM sessions WHERE user_id = $1', [before.id]);
  return { before, after: toInfo(updated.rows[0]!) };
}

/** Removes a user and their sessions; refuses the last admin. */
export async function deleteUser(q: Queryable, username: string): Promise<UserInfo | null> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE username = $1 FOR UPDATE', [username]);
  if (!rows[0]) return null;
  const before = toInfo(rows[0]);
  if (before.role === 'admin') {
    await q.query("SELECT id FROM users WHERE role = 'admin' FOR UPDATE");
    if ((await adminCount(q)) <= 1) {
      throw new FinchError('conflict', `Failed to remove "${username}": it is the last admin. Make another admin first.`);
    }
  }
  await q.query('DELETE FROM users WHERE id = $1', [before.id]);
  return before;
}

/**
 * On a database without users, creates `admin` with `password` (FINCH_ADMIN_PASSWORD) or a generated one,
 * which it returns so the caller prints it once; null when users exist. Safe when two servers start
 * together: the insert is `ON CONFLICT DO NOTHING` and only the winner reports a password.
 */
export async function bootstrapAdmin(
  db: Db,
  password: string | null,
): Promise<{ username: 'admin'; password: string; generated: boolean } | null> {
  const { rows } = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM users');
  if (Number(rows[0]?.n ?? 0) > 0) return null;
  const generated = password === null;
  const pw = password ?? randomBytes(18).toString('base64url');
  const hash = await hashPassword(pw);
  return db.tx(async (q) => {
    const inserted = await q.query<UserRow>(
      `INSERT INTO users (username, password_hash, role) VALUES ('admin', $1, 'admin') ON CONFLICT (username) DO NOTHING RETURNING *`,
      [hash],
    );
    if (!inserted.rows[0]) return null;
    await writeAudit(q, { actor: 'system', action: 'user.create', target: 'user:admin', after: toInfo(inserted.rows[0]) });
    return { username: 'admin' as const, password: pw, generated };
  });
}
