// Who is signed in. Pages read `session` and `can` to decide which buttons to show: a viewer never
// sees a button whose click could only earn a 403.
import { signal } from '@preact/signals';

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
