/** Who is calling: a console user (session cookie) or a program (Bearer token). Set by the auth plugin. */

export type Role = 'viewer' | 'operator' | 'admin';

/** `publish` alone may publish every product; `publish:a,b` only those. */
export type Scope = { kind: 'publish'; products: string[] | null } | { kind: 'operate' } | { kind: 'admin' };

export type Principal =
  | { kind: 'user'; id: number; username: string; role: Role }
  | { kind: 'token'; id: number; name: string; scopes: Scope[] };

/** How the audit log names a principal: `user:<name>`, `token:<id>`, or `anonymous`. */
export function actorName(p: Principal | null | undefined): string {
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user:${p.username}` : `token:${p.id}`;
}
