/**
 * getConsoleVersion (docs/manifest.md): open to anyone, answered from the in-memory snapshot with no
 * database query. GET takes `products=a,b&userId=u`; POST takes `{userId?, products, attributes?}`.
 * Plain GETs are usually answered by the fast lane (hotPath/fastLane.ts) before they reach Fastify;
 * these routes answer the rest (POST, HEAD, jwt mode, every invalid request) and define the schemas
 * and the OpenAPI document.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RuleValue } from '../../core/index.js';
import { writeAnswer, type Answer, type Answerer } from '../hotPath/answer.js';
import { MAX_PRODUCT_LIST, MAX_PRODUCTS, PRODUCT_LIST_PATTERN, PRODUCT_NAME_PATTERN } from '../model/limits.js';
import { errorSchema, ruleAttributes, userIdInput as userId } from './schemas.js';

const productList = {
  type: 'string',
  maxLength: MAX_PRODUCT_LIST,
  pattern: PRODUCT_LIST_PATTERN,
  description: 'Comma-separated product names',
} as const;

const manifestSchema = {
  type: 'object',
  description: 'Manifest, schema 1 (docs/manifest.md)',
  properties: {
    schema: { type: 'integer', const: 1 },
    userId: { type: ['string', 'null'] },
    revision: { type: 'integer' },
    ttlSeconds: { type: 'integer' },
    serviceWorker: { type: 'object', properties: { enabled: { type: 'boolean' } } },
    products: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } },
  },
} as const;

/** Open to anyone; two info lines per request would cost more than the answer, so only warnings log. */
const openRoute = { config: { auth: false }, logLevel: 'warn' } as const;
const answers = { 200: manifestSchema, 304: { type: 'null' }, 400: errorSchema, 401: errorSchema } as const;

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

export async function consoleVersionRoutes(app: FastifyInstance, opts: { answerer: Answerer }): Promise<void> {
  const { answer } = opts.answerer;

  /** Written to the socket directly (hijacked): see writeAnswer. The onResponse hooks (metrics) still run. */
  const send = (reply: FastifyReply, a: Answer): void => {
    reply.hijack();
    writeAnswer(reply.raw, a);
  };

  /**
   * Not async: in the identity modes that prove nothing the whole answer is synchronous. A sync handler
   * that sent must return undefined; errors (thrown, or a rejected jwt check) reach the error handler
   * before anything is written.
   */
  function respond(
    reply: FastifyReply,
    products: readonly string[],
    requestedUser: string | null,
    attributes: Record<string, RuleValue> | undefined,
  ): undefined | Promise<void> {
    const a = answer(reply.request.raw, products, requestedUser, attributes);
    if (a instanceof Promise) return a.then((done) => send(reply, done));
    send(reply, a);
    return undefined;
  }

  app.get<{ Querystring: Query }>('/console-version', {
    ...openRoute,
    schema: {
      tags: ['manifest'],
      summary: 'The manifest for one user',
      querystring: {
        type: 'object',
        properties: { products: productList, userId, deviceId: userId },
        required: ['products'],
        additionalProperties: false,
      },
      response: answers,
    },
  }, (request, reply) => {
    const q = request.query;
    return respond(reply, q.products.split(','), q.userId ?? null, q.deviceId === undefined ? undefined : { deviceId: q.deviceId });
  });

  app.post<{ Body: Body }>('/console-version', {
    ...openRoute,
    schema: {
      tags: ['manifest'],
      summary: 'The manifest for one user, with attributes for rules',
      body: {
        type: 'object',
        properties: {
          products: {
            anyOf: [
              { type: 'array', items: { type: 'string', pattern: PRODUCT_NAME_PATTERN }, minItems: 1, maxItems: MAX_PRODUCTS },
              productList,
            ],
          },
          userId: { anyOf: [userId, { type: 'null' }] },
          attributes: ruleAttributes,
        },
        required: ['products'],
        additionalProperties: false,
      },
      response: answers,
    },
  }, (request, reply) => {
    const b = request.body;
    const products = typeof b.products === 'string' ? b.products.split(',') : b.products;
    return respond(reply, products, b.userId ?? null, b.attributes);
  });
}
