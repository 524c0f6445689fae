/** Console sign-in and sign-out, each with its audit row. */
import type { Db } from '../db/Db.js';
import type { Role } from '../model/Principal.js';
import { writeAudit } from '../store/audit.js';
import { getUserForLogin } from '../store/users.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { createSession, deleteSession } from './sessions.js';

/**
 * Checks the password and starts a session; null for a wrong name or password. An unknown user costs
 * the same work as a wrong password, so the answer's time does not tell which it was.
 */
export async function signIn(
  db: Db,
  username: string,
  password: string,
  requestId: string,
): Promise<{ sessionId: string; user: { id: number; username: string; role: Role } } | null> {
  const user = await getUserForLogin(db, username);
  if (!user) await burnPasswordCheck(password);
  if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
  const sessionId = await db.tx(async (q) => {
    const id = await createSession(q, user.id);
    await writeAudit(q, { actor: `user:${user.username}`, action: 'session.create', target: `user:${user.username}`, requestId });
    return id;
  });
  return { sessionId, user: { id: user.id, username: user.username, role: user.role } };
}

export async function signOut(db: Db, sessionId: string, username: string, requestId: string): Promise<void> {
  await db.tx(async (q) => {
    await deleteSession(q, sessionId);
    await writeAudit(q, { actor: `user:${username}`, action: 'session.delete', target: `user:${username}`, requestId });
  });
}
