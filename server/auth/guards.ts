import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../errors/errorHandler.js';
import type { Principal, Role } from './Principal.js';

/**
 * A route hook answering 401/403 itself. Usable as `preHandler` (after the body is parsed, needed when
 * the product comes from the body) or as `onRequest` (before anything is read).
 */
export type RouteGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

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

function deny(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  const code = status === 401 ? 'unauthorized' : 'forbidden';
  if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="finch"');
  return sendError(reply, status, code, message);
}

/** 401 when nobody is proven (403 when the token was revoked: its holder is known but no longer allowed). */
function anonymous(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.authFailure === 'revoked') {
    return deny(reply, 403, 'Failed to authorize: this token was revoked. Create a new token.');
  }
  return deny(
    reply,
    401,
    'Failed to authenticate: no valid session cookie or Bearer token. Sign in or send Authorization: Bearer <token>.',
  );
}

/**
 * preHandler allowing principals with at least `role` (viewer < operator < admin).
 * @example app.get('/api/v1/products', { preHandler: requireRole('viewer') }, handler)
 */
export function requireRole(role: Role): RouteGuard {
  return async function roleGuard(request, reply) {
    const p = request.principal;
    if (!p) return anonymous(request, reply);
    if (RANK[effectiveRole(p)] < RANK[role]) {
      return deny(reply, 403, `Failed to authorize: this route needs the ${role} role.`);
    }
    return undefined;
  };
}

/**
 * preHandler allowing `publish` tokens for the product `getProduct` names, and admins. When it gives
 * null (e.g. an unknown resource id) any publish token passes and the route answers 404 itself.
 * @example app.post('/api/v1/resources', { preHandler: requirePublish((req) => (req.body as { product: string }).product) }, h)
 */
export function requirePublish(
  getProduct: (request: FastifyRequest) => string | null | Promise<string | null>,
): RouteGuard {
  return async function publishGuard(request, reply) {
    const p = request.principal;
    if (!p) return anonymous(request, reply);
    if (!canPublish(p, null)) {
      return deny(reply, 403, 'Failed to authorize: this route needs a publish token.');
    }
    const product = await getProduct(request);
    if (product !== null && !canPublish(p, product)) {
      return deny(reply, 403, `Failed to authorize: this token may not publish "${product}".`);
    }
    return undefined;
  };
}
