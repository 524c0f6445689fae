/** What a principal may do: the role it acts with, and which products it may publish. */
import type { Principal, Role } from '../model/Principal.js';

/** viewer < operator < admin. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, operator: 2, admin: 3 };

/**
 * The role a principal acts with. Tokens: `admin` → admin, `operate` → operator, and any valid token
 * may read (viewer), which CI needs to find an already published version.
 */
export function effectiveRole(p: Principal): Role {
  if (p.kind === 'user') return p.role;
  if (p.scopes.some((s) => s.kind === 'admin')) return 'admin';
  if (p.scopes.some((s) => s.kind === 'operate')) return 'operator';
  return 'viewer';
}

/** May this principal publish builds of `product` (null: of some product, the route decides which)? */
export function canPublish(p: Principal, product: string | null): boolean {
  if (effectiveRole(p) === 'admin') return true;
  if (p.kind === 'user') return false;
  return p.scopes.some(
    (s) => s.kind === 'publish' && (s.products === null || product === null || s.products.includes(product)),
  );
}
