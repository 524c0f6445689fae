import type { FastifyReply, FastifyRequest } from 'fastify';
import { canPublish, effectiveRole, ROLE_RANK } from '../auth/roles.js';
import { sendError } from '../errors/errorHandler.js';
import type { Role } from '../model/Principal.js';

/**
 * A route hook answering 401/403 itself. Usable as `preHandler` (after the body is parsed, needed when
 * the product comes from the body) or as `onRequest` (before anything is read).
 */
export type RouteGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

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
    if (ROLE_RANK[effectiveRole(p)] < ROLE_RANK[role]) {
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
