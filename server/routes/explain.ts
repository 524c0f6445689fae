/**
 * `POST /explain` (viewer): who gets what. For a user the console describes (id, attributes, IP), the
 * build each product serves them right now, resolved exactly as their own getConsoleVersion would be.
 */
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { FinchError, type RuleValue } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { requireRole } from '../http/guards.js';
import { createClientIp, normalizeIp } from '../identity/clientIp.js';
import { simulatedContext } from '../identity/simulatedContext.js';
import { MAX_PRODUCTS } from '../model/limits.js';
import { explainProducts } from '../snapshot/explainProducts.js';
import { errorResponses, productName, ruleAttributes, userIdInput } from './schemas.js';

interface Body {
  userId?: string;
  attributes?: Record<string, RuleValue>;
  ip?: string;
  products?: string[];
}

const build = { resourceId: { type: 'integer' }, version: { type: 'string' } } as const;
const entrySchema = {
  type: ['object', 'null'],
  properties: {
    ...build,
    strategyId: { type: 'integer' },
    status: { type: 'string', enum: ['gray', 'full'] },
    fallback: { type: 'object', properties: build, required: ['resourceId', 'version'] },
  },
  required: ['resourceId', 'version', 'strategyId', 'status'],
} as const;

export async function explainRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const clientIp = createClientIp(deps.config.trustProxy);

  app.post<{ Body: Body }>('/explain', {
    onRequest: requireRole('viewer'),
    schema: {
      tags: ['manifest'],
      summary: 'Who gets what: the build of each product one user would get now, and by which strategy',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          userId: userIdInput,
          attributes: {
            ...ruleAttributes,
            description: 'Attributes for rules; header.<name>, cookie.<name> and claim.<name> stand for the user\'s headers, cookies and token claims',
          },
          ip: { type: 'string', minLength: 1, maxLength: 64, description: 'The user\'s IP address; default the caller\'s own' },
          products: { type: 'array', items: productName, minItems: 1, maxItems: MAX_PRODUCTS, description: 'Default every product' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { revision: { type: 'integer' }, products: { type: 'object', additionalProperties: entrySchema } },
          required: ['revision', 'products'],
        },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const b = request.body;
    // Only the plain forms: ipaddr.js would also read `127.1` or `0x7f000001`, which no client IP is.
    if (b.ip !== undefined && isIP(b.ip) === 0) {
      throw new FinchError('invalid-input', 'Invalid input: ip is not an IPv4 or IPv6 address. Send one like 203.0.113.7 or 2001:db8::1, or leave it out.', { field: 'body/ip' });
    }
    const ip = b.ip === undefined ? clientIp(request.raw) : normalizeIp(b.ip);
    const loaded = deps.snapshot.current();
    const ctx = simulatedContext(loaded.snapshot, { userId: b.userId ?? null, ip, attributes: b.attributes ?? {} });
    return explainProducts(loaded, ctx, b.products, deps.now());
  });
}
