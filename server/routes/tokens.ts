/** API tokens for programs, managed by admins. The secret is in the create answer only. Mount under `/api/v1`. */
import type { FastifyInstance } from 'fastify';
import { FinchError } from '../../core/FinchError.js';
import { writeAudit } from '../audit/writeAudit.js';
import { requireRole } from '../auth/guards.js';
import { actorName } from '../auth/Principal.js';
import { createToken, getToken, listTokens, revokeToken } from '../auth/tokens.js';
import type { ServerDeps } from '../deps.js';
import { errorResponses, idParam } from './schemas.js';

const tokenSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
  },
  required: ['id', 'name', 'scopes', 'createdBy', 'createdAt', 'revokedAt'],
} as const;

export async function tokenRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const admin = requireRole('admin');

  app.get('/tokens', {
    onRequest: admin,
    schema: { tags: ['tokens'], summary: 'List API tokens (never their secrets)', response: { 200: { type: 'object', properties: { tokens: { type: 'array', items: tokenSchema } }, required: ['tokens'] }, ...errorResponses } },
  }, async () => ({ tokens: await listTokens(deps.db) }));

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
      response: { 201: { ...tokenSchema, properties: { ...tokenSchema.properties, token: { type: 'string' } }, required: [...tokenSchema.required, 'token'] }, ...errorResponses },
    },
  }, async (request, reply) => {
    const created = await deps.db.tx(async (q) => {
      const { id, token } = await createToken(q, { name: request.body.name, scopes: request.body.scopes, createdBy: actorName(request.principal) });
      const info = (await getToken(q, id))!;
      await writeAudit(q, { actor: actorName(request.principal), action: 'token.create', target: `token:${id}`, after: info, requestId: request.id });
      return { ...info, token };
    });
    return reply.code(201).header('Cache-Control', 'no-store').send(created);
  });

  app.delete<{ Params: { id: string } }>('/tokens/:id', {
    onRequest: admin,
    schema: {
      tags: ['tokens'],
      summary: 'Revoke a token; it then gets 403 everywhere',
      params: { type: 'object', properties: { id: idParam }, required: ['id'], additionalProperties: false },
      response: { 200: tokenSchema, ...errorResponses },
    },
  }, async (request) => {
    const id = Number(request.params.id);
    return deps.db.tx(async (q) => {
      const result = await revokeToken(q, id);
      if (!result) throw new FinchError('not-found', `Token ${id} does not exist.`);
      // Revoking twice changes nothing, so it writes no second audit row.
      if (result.before.revokedAt === null) {
        await writeAudit(q, { actor: actorName(request.principal), action: 'token.revoke', target: `token:${id}`, before: result.before, after: result.after, requestId: request.id });
      }
      return result.after;
    });
  });
}
