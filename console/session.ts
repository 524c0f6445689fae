// Who is signed in. Pages read `session` and `can` to decide which buttons to show: a viewer never
// sees a button whose click could only earn a 403.
import { effect, signal } from '@preact/signals';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  username: string;
  role: Role;
}

/** Undefined while the first `GET /api/v1/session` is under way, null when nobody is signed in. */
export const session = signal<Session | null | undefined>(undefined);

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when the signed-in user has at least `role` (roles nest: admin ⊃ operator ⊃ viewer). */
export function can(role: Role): boolean {
  const s = session.value;
  return s != null && RANK[s.role] >= RANK[role];
}

/** Reads a session body from the API (`{username, role, …}`) into a Session, or null when it is not one. */
export function toSession(body: unknown): Session | null {
  if (typeof body !== 'object' || body === null) return null;
  const { username, role } = body as { username?: unknown; role?: unknown };
  if (typeof username !== 'string' || (role !== 'viewer' && role !== 'operator' && role !== 'admin')) return null;
  return { username, role };
}

/**
 * Whether this browser had a session when the console last knew. Without it the first screen is the
 * sign-in form at once: asking the server would answer 401, which the browser logs as an error on every
 * first visit. A stale "yes" (the session expired) costs that one 401, and the hint goes.
 */
const HINT = 'finch-console:signed-in';

export function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(HINT) !== null;
  } catch {
    return true;
  }
}

effect(() => {
  const s = session.value;
  if (s === undefined) return;
  try {
    if (s === null) localStorage.removeItem(HINT);
    else localStorage.setItem(HINT, '1');
  } catch {
    // Storage refused (private mode, quota): the console then asks the server each time.
  }
});
