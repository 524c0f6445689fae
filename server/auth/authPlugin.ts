import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Queryable } from '../db/Db.js';
import type { Principal } from './Principal.js';
import { lookupSession, readCookie, SESSION_COOKIE } from './sessions.js';
import { TOKEN_PREFIX, verifyToken } from './tokens.js';

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
  }
}

/** Accepts the `ServerDeps` object itself or `{ deps }`: all the plugin needs is `db`. */
export type AuthPluginOptions = { db: Queryable } | { deps: { db: Queryable } };

async function identify(db: Queryable, request: FastifyRequest): Promise<void> {
  const auth = request.headers.authorization;
  // Only Finch tokens are ours: in jwt identity mode the Bearer value is a user's JWT for getConsoleVersion.
  if (auth && /^bearer /i.test(auth)) {
    const value = auth.slice(7).trim();
    if (value.startsWith(TOKEN_PREFIX)) {
      const check = await verifyToken(db, value);
      if (check.ok) request.principal = check.principal;
      else request.authFailure = check.reason;
      return;
    }
  }
  const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (sid) {
    const principal = await lookupSession(db, sid);
    if (principal) request.principal = principal;
    else request.authFailure = 'invalid';
  }
}

const plugin: FastifyPluginAsync<AuthPluginOptions> = async (app: FastifyInstance, opts) => {
  const db = 'db' in opts ? opts.db : opts.deps.db;
  app.decorateRequest('principal', null);
  app.decorateRequest('authFailure', null);
  // No credentials, no query. Routes marked `config: { auth: false }` (getConsoleVersion, assets) get no
  // hook at all: attaching it per route at registration keeps even the check off the hot path.
  const onRequest = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    if (!request.headers.authorization && !request.headers.cookie) return done();
    identify(db, request).then(() => done(), done);
  };
  app.addHook('onRoute', (route) => {
    if ((route.config as { auth?: boolean } | undefined)?.auth === false) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    // First, so the route's own guards see the principal.
    route.onRequest = [onRequest, ...own] as typeof route.onRequest;
  });
};

/**
 * Sets `request.principal` on every request of the whole app (not encapsulated). Register it first.
 * @example await app.register(authPlugin, deps);
 */
export const authPlugin = fp(plugin, { name: 'finch-auth', fastify: '5.x' });
