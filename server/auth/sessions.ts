import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/Db.js';
import type { Principal } from '../model/Principal.js';
import { deleteSessionByHash, findSessionUser, insertSession } from '../store/sessions.js';

/** The console's session cookie. Its value is 32 random bytes; the database keeps only their sha256. */
export const SESSION_COOKIE = 'finch_session';
/** @default 12 hours: a working day, after which the console asks for the password again. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function hashId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/** Starts a session for a user; returns the cookie value (the only copy of the id). */
export async function createSession(q: Queryable, userId: number): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await insertSession(q, hashId(id), userId, SESSION_TTL_SECONDS);
  return id;
}

/** The user behind a cookie value, with the role they have now; null for unknown or expired sessions. */
export async function lookupSession(q: Queryable, id: string): Promise<Principal | null> {
  return SESSION_SHAPE.test(id) ? findSessionUser(q, hashId(id)) : null;
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  if (SESSION_SHAPE.test(id)) await deleteSessionByHash(q, hashId(id));
}

/** One cookie's value from a `Cookie` header (no dependency on @fastify/cookie, which the app may register). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The `Set-Cookie` value: HttpOnly so page scripts never see it, SameSite=Strict so other sites cannot
 * ride it (CSRF), Secure when the request came over HTTPS (a plain-HTTP loopback demo must still work).
 */
export function sessionCookie(value: string, opts: { secure: boolean; maxAge: number }): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${opts.maxAge}`];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
