/**
 * Console sign-in: `POST /session` checks the password and sets an HttpOnly, SameSite=Strict cookie,
 * `GET /session` says who is calling, `DELETE /session` signs out. Mount under `/api/v1`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { FinchError } from '../../core/FinchError.js';
import { effectiveRole } from '../auth/roles.js';
import { readCookie, SESSION_COOKIE, SESSION_TTL_SECONDS, sessionCookie } from '../auth/sessions.js';
import { signIn, signOut } from '../auth/signIn.js';
import { formatScope } from '../auth/tokens.js';
import type { ServerDeps } from '../deps.js';
import { sendError } from '../errors/errorHandler.js';
import { crossSiteRefusal } from '../http/sameOrigin.js';
import { errorSchema } from './schemas.js';

/** Sign-in attempts per client IP and minute: scrypt makes each one cost ~0.3 s of CPU. */
export const LOGINS_PER_MINUTE = 30;

const whoAmI = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['user', 'token'] },
    id: { type: 'integer' },
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
    scopes: { type: 'array', items: { type: 'string' } },
    expiresAt: { type: 'string' },
  },
  required: ['kind', 'id', 'role'],
} as const;

/**
 * Secure whenever the console is reached over HTTPS: the public origin says so, or the request came
 * over TLS (directly, or through a trusted proxy's X-Forwarded-Proto). A plain-HTTP loopback demo
 * must still work.
 */
function secureCookie(request: FastifyRequest, publicOrigin: string): boolean {
  return publicOrigin.startsWith('https:') || request.protocol === 'https';
}

export async function sessionRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new FinchError('rate-limited', `Too many sign-in attempts from this address: at most ${ctx.max} per minute. Retry after ${Math.ceil(ctx.ttl / 1000)} s.`),
  });

  app.post<{ Body: { username: string; password: string } }>('/session', {
    config: { rateLimit: { max: LOGINS_PER_MINUTE, timeWindow: 60_000 } },
    // Signing in is browser-authenticated too: another site must not sign a browser into its account.
    onRequest: async (request, reply) => {
      const refusal = crossSiteRefusal(request, deps.config.publicOrigin);
      return refusal === null ? undefined : sendError(reply, refusal.status, refusal.code, refusal.message);
    },
    schema: {
      tags: ['auth'],
      summary: 'Sign in to the console; sets the HttpOnly session cookie',
      body: {
        type: 'object',
        properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        required: ['username', 'password'],
        additionalProperties: false,
      },
      response: { 200: whoAmI, 400: errorSchema, 401: errorSchema, 429: errorSchema },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const signedIn = await signIn(deps.db, username, password, request.id);
    if (signedIn === null) return sendError(reply, 401, 'unauthorized', 'Failed to sign in: wrong username or password.');
    const { user } = signedIn;
    reply.header('Set-Cookie', sessionCookie(signedIn.sessionId, { secure: secureCookie(request, deps.config.publicOrigin), maxAge: SESSION_TTL_SECONDS })).header('Cache-Control', 'no-store');
    return {
      kind: 'user',
      id: user.id,
      username: user.username,
      role: user.role,
      expiresAt: new Date(deps.now() + SESSION_TTL_SECONDS * 1000).toISOString(),
    };
  });

  app.get('/session', {
    schema: { tags: ['auth'], summary: 'Who is calling (session cookie or Bearer token)', response: { 200: whoAmI, 401: errorSchema, 403: errorSchema } },
  }, async (request, reply) => {
    const p = request.principal;
    if (!p) {
      return request.authFailure === 'revoked'
        ? sendError(reply, 403, 'forbidden', 'Failed to authorize: this token was revoked.')
        : sendError(reply, 401, 'unauthorized', 'Not signed in: no valid session cookie or Bearer token.');
    }
    reply.header('Cache-Control', 'no-store');
    return p.kind === 'user'
      ? { kind: 'user', id: p.id, username: p.username, role: p.role }
      : { kind: 'token', id: p.id, name: p.name, role: effectiveRole(p), scopes: p.scopes.map(formatScope) };
  });

  app.delete('/session', {
    schema: { tags: ['auth'], summary: 'Sign out: ends the session and clears the cookie', response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
    const p = request.principal;
    if (sid && p?.kind === 'user') {
      await signOut(deps.db, sid, p.username, request.id);
    }
    reply.header('Set-Cookie', sessionCookie('', { secure: secureCookie(request, deps.config.publicOrigin), maxAge: 0 })).header('Cache-Control', 'no-store');
    return reply.code(204).send();
  });
}
