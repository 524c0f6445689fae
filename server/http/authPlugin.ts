import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Queryable } from '../db/Db.js';
import { sendError } from '../errors/errorHandler.js';
import type { Principal } from '../model/Principal.js';
import { crossSiteRefusal, isMutation } from './sameOrigin.js';
import { LOCAL_ADMIN_PREFIX, localAdminPrincipal } from '../auth/localAdmin.js';
import { lookupSession, readCookie, SESSION_COOKIE } from '../auth/sessions.js';
import { TOKEN_PREFIX, verifyToken } from '../auth/tokens.js';

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, proven by the session cookie or a Finch Bearer token; null when nobody is. */
    principal: Principal | null;
    /** Why credentials that were sent did not give a principal (guards answer 403 for `revoked`). */
    authFailure: 'invalid' | 'revoked' | null;
  }
  interface FastifyContextConfig {
    /** `false` on routes that never look at the caller (assets, reports), to skip the credential lookup. */
    auth?: boolean;
    /** Body media types a route accepts besides JSON, for mutations signed in by cookie (an upload's gzip). */
    bodyTypes?: readonly string[];
  }
}

export interface AuthPluginOptions {
  deps: { db: Queryable; config: { publicOrigin: string } };
}

/**
 * Sets the principal. Returns true when it came from the session cookie: the browser sends that by
 * itself, so the request must then prove it is the console's own (sameOrigin.ts).
 */
async function identify(db: Queryable, request: FastifyRequest): Promise<boolean> {
  const auth = request.headers.authorization;
  // Only Finch tokens are ours: in jwt identity mode the Bearer value is a user's JWT for getConsoleVersion.
  if (auth && /^bearer /i.test(auth)) {
    const value = auth.slice(7).trim();
    if (value.startsWith(LOCAL_ADMIN_PREFIX)) {
      // The `finch` command on this machine: only over loopback, never from the network.
      request.principal = isLoopback(request.socket.remoteAddress) ? localAdminPrincipal(value) : null;
      if (request.principal === null) request.authFailure = 'invalid';
      return false;
    }
    if (value.startsWith(TOKEN_PREFIX)) {
      const check = await verifyToken(db, value);
      if (check.ok) request.principal = check.principal;
      else request.authFailure = check.reason;
      return false;
    }
  }
  const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (!sid) return false;
  const principal = await lookupSession(db, sid);
  if (principal) request.principal = principal;
  else request.authFailure = 'invalid';
  return principal !== null;
}

const plugin: FastifyPluginAsync<AuthPluginOptions> = async (app: FastifyInstance, opts) => {
  const { db, config } = opts.deps;
  app.decorateRequest('principal', null);
  app.decorateRequest('authFailure', null);
  // No credentials, no query. Routes marked `config: { auth: false }` (getConsoleVersion, assets) get no
  // hook at all: attaching it per route at registration keeps even the check off the hot path.
  const hookFor = (bodyTypes: readonly string[]) => async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!request.headers.authorization && !request.headers.cookie) return undefined;
    const byCookie = await identify(db, request);
    if (!byCookie || !isMutation(request.method)) return undefined;
    const refusal = crossSiteRefusal(request, config.publicOrigin, bodyTypes);
    if (refusal === null) return undefined;
    request.principal = null;
    return sendError(reply, refusal.status, refusal.code, refusal.message);
  };
  app.addHook('onRoute', (route) => {
    const routeConfig = route.config as { auth?: boolean; bodyTypes?: readonly string[] } | undefined;
    if (routeConfig?.auth === false) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    // First, so the route's own guards see the principal.
    route.onRequest = [hookFor(routeConfig?.bodyTypes ?? []), ...own] as typeof route.onRequest;
  });
};

/**
 * Sets `request.principal` on every request of the whole app (not encapsulated), and refuses
 * cookie-signed mutations that another site started. Register it before the routes.
 * @example await app.register(authPlugin, { deps });
 */
export const authPlugin = fp(plugin, { name: 'finch-auth', fastify: '5.x' });
