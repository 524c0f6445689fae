/** API tokens for programs, managed by admins. The secret is in the create answer only. Mount under `/api/v1`. */
import type { FastifyInstance } from 'fastify';
import { issueToken, revokeTokenAudited } from '../auth/tokens.js';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import { listTokens } from '../store/tokens.js';
import { errorResponses, idParams, record } from './schemas.js';

const tokenProperties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  scopes: { type: 'array', items: { type: 'string' } },
  createdBy: { type: 'string' },
  createdAt: { type: 'string' },
  revokedAt: { type: ['string', 'null'] },
} as const;
const tokenSchema = record(tokenProperties);

export async function tokenRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const admin = requireRole('admin');

  listRoute(app, { url: '/tokens', guard: admin, tag: 'tokens', summary: 'List API tokens (never their secrets)', key: 'tokens', item: tokenSchema, list: () => listTokens(deps.db) });

  app.post<{ Body: { name: string; scopes: string[] } }>('/tokens', {
    onRequest: admin,
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token; the answer holds its secret, shown this once',
      body: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          scopes: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
        required: ['name', 'scopes'],
        additionalProperties: false,
      },
      response: { 201: record({ ...tokenProperties, token: { type: 'string' } }), ...errorResponses },
    },
  }, async (request, reply) => {
    const created = await deps.db.tx((q) => issueToken(q, request.body, auditActor(request)));
    return reply.code(201).header('Cache-Control', 'no-store').send(created);
  });

  app.delete<{ Params: { id: string } }>('/tokens/:id', {
    onRequest: admin,
    schema: {
      tags: ['tokens'],
      summary: 'Revoke a token; it then gets 403 everywhere',
      params: idParams,
      response: { 200: tokenSchema, ...errorResponses },
    },
  }, async (request) => {
    return revokeTokenAudited(deps.db, Number(request.params.id), auditActor(request));
  });
}
