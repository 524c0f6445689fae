/**
 * getConsoleVersion (CONTRACT §3): open to anyone, answered from the in-memory snapshot with no
 * database query. GET takes `products=a,b&userId=u`; POST takes `{userId?, products, attributes?}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FinchError, type RuleValue } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { clientIp, compileTrust } from '../identity/clientIp.js';
import { createIdentify } from '../identity/identity.js';
import { buildRequestContext } from '../identity/requestContext.js';
import type { Identity } from '../identity/identity.js';
import { createRenderManifest } from '../snapshot/renderManifest.js';
import { errorSchema } from './schemas.js';

const MAX_PRODUCTS = 100;
const userId = { type: 'string', minLength: 1, maxLength: 256 } as const;
const productList = {
  type: 'string',
  maxLength: MAX_PRODUCTS * 65,
  pattern: '^[a-z0-9][a-z0-9-]{0,63}(,[a-z0-9][a-z0-9-]{0,63})*$',
  description: 'Comma-separated product names',
} as const;

const manifestSchema = {
  type: 'object',
  description: 'Manifest, schema 1 (CONTRACT §3.1)',
  properties: {
    schema: { type: 'integer', const: 1 },
    userId: { type: ['string', 'null'] },
    revision: { type: 'integer' },
    ttlSeconds: { type: 'integer' },
    serviceWorker: { type: 'object', properties: { enabled: { type: 'boolean' } } },
    products: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } },
  },
} as const;

interface Query {
  products: string;
  userId?: string;
  deviceId?: string;
}

interface Body {
  products: string[] | string;
  userId?: string | null;
  attributes?: Record<string, RuleValue>;
}

export async function consoleVersionRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const identify = createIdentify(deps.config.identity);
  const trust = compileTrust(deps.config.trustProxy);
  const render = createRenderManifest({ ttlSeconds: deps.config.ttlSeconds, serviceWorkerEnabled: deps.config.serviceWorker });
  const vary = deps.config.identity.mode !== 'param';

  function send(
    request: FastifyRequest,
    reply: FastifyReply,
    products: readonly string[],
    identity: Identity,
    attributes: Record<string, RuleValue> | undefined,
  ): FastifyReply {
    const ctx = buildRequestContext(request, identity, clientIp(request, trust), attributes);
    const { body, etag } = render(deps.snapshot.current(), ctx, products, deps.now());
    // The answer depends on who asks: never shared by caches, always revalidated.
    reply.header('cache-control', 'private, no-cache').header('etag', etag);
    if (vary) reply.header('vary', 'Authorization, Cookie');
    const inm = request.headers['if-none-match'];
    if (inm !== undefined && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
    // JSON already: Fastify sends a string as is (the 200 schema is there for the OpenAPI document).
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  }

  /**
   * Not async: in the identity modes that prove nothing (param, header) the whole answer is synchronous,
   * and a promise per request is measurable on this route. Only jwt verification awaits.
   */
  function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    products: readonly string[],
    requestedUser: string | null,
    attributes: Record<string, RuleValue> | undefined,
  ): undefined | Promise<FastifyReply> {
    if (products.length > MAX_PRODUCTS) throw new FinchError('invalid-input', `Invalid input: at most ${MAX_PRODUCTS} products per request.`);
    const identity = identify(request, requestedUser);
    if (identity instanceof Promise) return identity.then((id) => send(request, reply, products, id, attributes));
    // A sync handler that sent must return undefined (returning the reply would send it twice).
    send(request, reply, products, identity, attributes);
    return undefined;
  }

  app.get<{ Querystring: Query }>('/console-version', {
    config: { auth: false },
    // Two info lines per request would cost more than the answer; warnings and errors still log.
    logLevel: 'warn',
    schema: {
      tags: ['manifest'],
      summary: 'The manifest for one user (seed: getConsoleVersion)',
      querystring: {
        type: 'object',
        properties: { products: productList, userId, deviceId: userId },
        required: ['products'],
        additionalProperties: false,
      },
      response: { 200: manifestSchema, 304: { type: 'null' }, 400: errorSchema, 401: errorSchema },
    },
  }, (request, reply) => {
    const q = request.query;
    return answer(request, reply, q.products.split(','), q.userId ?? null, q.deviceId === undefined ? undefined : { deviceId: q.deviceId });
  });

  app.post<{ Body: Body }>('/console-version', {
    config: { auth: false },
    logLevel: 'warn',
    schema: {
      tags: ['manifest'],
      summary: 'The manifest for one user, with attributes for rules (seed: getConsoleVersion)',
      body: {
        type: 'object',
        properties: {
          products: {
            anyOf: [
              { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }, minItems: 1, maxItems: MAX_PRODUCTS },
              productList,
            ],
          },
          userId: { anyOf: [userId, { type: 'null' }] },
          attributes: {
            type: 'object',
            maxProperties: 100,
            propertyNames: { maxLength: 128 },
            additionalProperties: { anyOf: [{ type: 'string', maxLength: 1024 }, { type: 'number' }, { type: 'boolean' }] },
          },
        },
        required: ['products'],
        additionalProperties: false,
      },
      response: { 200: manifestSchema, 304: { type: 'null' }, 400: errorSchema, 401: errorSchema },
    },
  }, (request, reply) => {
    const b = request.body;
    const products = typeof b.products === 'string' ? b.products.split(',') : b.products;
    return answer(request, reply, products, b.userId ?? null, b.attributes);
  });
}
