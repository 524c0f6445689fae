/** Console users' rules: roles, name and password bounds, and the first admin of an empty database. */
import { randomBytes } from 'node:crypto';
import { FinchError } from '../../core/FinchError.js';
import type { Db } from '../db/Db.js';
import type { Role } from '../model/Principal.js';
import { writeAudit } from '../store/audit.js';
import { countUsers, insertUser } from '../store/users.js';
import { hashPassword } from './password.js';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Long enough to resist guessing once scrypt slows each try; short enough for people. */
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 1024;

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new FinchError('invalid-input', `Failed to set password: use ${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`);
  }
}

/**
 * On a database without users, creates `admin` with `password` (FINCH_ADMIN_PASSWORD) or a generated one,
 * which it returns so the caller prints it once; null when users exist. Safe when two servers start
 * together: the insert does nothing on a conflict and only the winner reports a password.
 */
export async function bootstrapAdmin(
  db: Db,
  password: string | null,
): Promise<{ username: 'admin'; password: string; generated: boolean } | null> {
  if ((await countUsers(db)) > 0) return null;
  const generated = password === null;
  const pw = password ?? randomBytes(18).toString('base64url');
  const hash = await hashPassword(pw);
  return db.tx(async (q) => {
    const created = await insertUser(q, { username: 'admin', passwordHash: hash, role: 'admin' });
    if (!created) return null;
    await writeAudit(q, { actor: 'system', action: 'user.create', target: 'user:admin', after: created });
    return { username: 'admin' as const, password: pw, generated };
  });
}
