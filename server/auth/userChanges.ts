/**
 * Adding, changing and removing console users, each in one transaction with its audit row. Passwords
 * are hashed before the transaction starts, so the slow hash never holds a lock.
 */
import { FinchError } from '../../core/FinchError.js';
import type { Db } from '../db/Db.js';
import type { Role } from '../model/Principal.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { createUser, deleteUser, updateUser, type UserInfo } from '../store/users.js';
import { hashPassword } from './password.js';
import { checkPassword } from './users.js';

const unknownUser = (username: string): FinchError => new FinchError('not-found', `User "${username}" does not exist.`);

export async function addUser(db: Db, input: { username: string; password: string; role: Role }, by: AuditActor): Promise<UserInfo> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.tx(async (q) => {
    const created = await createUser(q, { username: input.username, passwordHash, role: input.role });
    await writeAudit(q, { ...by, action: 'user.create', target: `user:${input.username}`, after: created });
    return created;
  });
}

/** A new password signs the user out everywhere. */
export async function changeUser(db: Db, username: string, input: { role?: Role; password?: string }, by: AuditActor): Promise<UserInfo> {
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return db.tx(async (q) => {
    const change: { role?: Role; passwordHash?: string } = {};
    if (input.role !== undefined) change.role = input.role;
    if (passwordHash !== undefined) change.passwordHash = passwordHash;
    const result = await updateUser(q, username, change);
    if (!result) throw unknownUser(username);
    await writeAudit(q, {
      ...by,
      action: 'user.update',
      target: `user:${username}`,
      before: result.before,
      after: { ...result.after, passwordChanged: passwordHash !== undefined },
    });
    return result.after;
  });
}

export function removeUser(db: Db, username: string, by: AuditActor): Promise<void> {
  return db.tx(async (q) => {
    const before = await deleteUser(q, username);
    if (!before) throw unknownUser(username);
    await writeAudit(q, { ...by, action: 'user.delete', target: `user:${before.username}`, before });
  });
}
