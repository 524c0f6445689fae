/**
 * Strategies: which build goes to which users. Reads need the viewer role, writes the operator role.
 * PATCH needs If-Match with the strategy's ETag: none is 428, a stale one 412 (lost updates,
 * docs/failures.md).
 */
import type { FastifyInstance } from 'fastify';
import { FinchError } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { etagMatches, withStrategyEtag } from '../http/etag.js';
import { requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import { getProduct } from '../store/products.js';
import { getStrategy, listStrategies } from '../store/strategies.js';
import { rollbackProduct } from '../strategies/rollback.js';
import { changeStrategy, createStrategy, type NewStrategy, type StrategyFields } from '../strategies/strategyChanges.js';
import { parseIfMatch, publicStrategy, strategyEtag } from '../strategies/strategyView.js';
import { dateTime, errorResponses, errorSchema, idParams, nameParams, productName, strategySchema, strategyStatusIn } from './schemas.js';

const ruleSchema = { type: ['object', 'null'], description: 'Rule (docs/rules.md); checked whole, 400 invalid-rule / rule-too-large' } as const;
const fields = {
  resourceId: { type: 'integer', minimum: 1, maximum: 2147483647 },
  status: strategyStatusIn,
  priority: { type: 'integer', minimum: -1000000, maximum: 1000000 },
  rule: ruleSchema,
  salt: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
  startsAt: { anyOf: [dateTime, { type: 'null' }] },
  endsAt: { anyOf: [dateTime, { type: 'null' }] },
} as const;

export async function strategyRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  listRoute<{ name: string }>(app, {
    url: '/products/:name/strategies', guard: requireRole('viewer'), tag: 'strategies', summary: 'List a product\'s strategies',
    key: 'strategies', item: strategySchema, params: nameParams,
    list: async (request) => (await listStrategies(deps.db, (await getProduct(deps.db, request.params.name)).id)).map(publicStrategy),
  });

  app.get<{ Params: { id: string } }>('/strategies/:id', {
    onRequest: requireRole('viewer'),
    schema: {
      tags: ['strategies'],
      summary: 'Read a strategy with its ETag',
      params: idParams,
      response: { 200: strategySchema, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const s = await getStrategy(deps.db, Number(request.params.id));
    if (etagMatches(request.headers['if-none-match'], strategyEtag(s))) return reply.code(304).header('ETag', strategyEtag(s)).send();
    return withStrategyEtag(reply, s);
  });

  app.post<{ Body: NewStrategy }>('/strategies', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['strategies'],
      summary: 'Create a strategy',
      body: { type: 'object', properties: { product: productName, ...fields }, required: ['product', 'resourceId'], additionalProperties: false },
      response: { 201: strategySchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const created = await createStrategy(deps, request.body, auditActor(request));
    reply.code(201);
    return withStrategyEtag(reply, created);
  });

  app.patch<{ Params: { id: string }; Body: StrategyFields }>('/strategies/:id', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['strategies'],
      summary: 'Change a strategy. Needs If-Match with its ETag: none → 428, stale → 412',
      params: idParams,
      headers: { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 1000 } } },
      body: { type: 'object', properties: fields, additionalProperties: false, minProperties: 1 },
      response: { 200: strategySchema, ...errorResponses, 412: errorSchema, 428: errorSchema },
    },
  }, async (request, reply) => {
    const id = Number(request.params.id);
    const ifMatch = parseIfMatch(request.headers['if-match'], id);
    if (ifMatch === null) {
      throw new FinchError('precondition-required', `Failed to change strategy ${id}: send If-Match with the ETag from GET /api/v1/strategies/${id}, so changes by others are not overwritten.`);
    }
    return withStrategyEtag(reply, await changeStrategy(deps, id, ifMatch, request.body, auditActor(request)));
  });

  app.post<{ Params: { name: string } }>('/products/:name/rollback', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['strategies'],
      summary: 'Every gray strategy off, and the full strategy back to the one it replaced',
      params: nameParams,
      response: {
        200: {
          type: 'object',
          properties: {
            strategies: { type: 'array', items: strategySchema },
            turnedOff: { type: 'array', items: { type: 'integer' } },
            restoredFullId: { type: ['integer', 'null'] },
          },
          required: ['strategies', 'turnedOff', 'restoredFullId'],
        },
        ...errorResponses,
      },
    },
  }, async (request) => rollbackProduct(deps, request.params.name, auditActor(request)));
}
