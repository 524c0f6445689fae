/** `GET /audit`: the audit log for admins, newest first, filtered by product, time and actor, paged by cursor. */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/guards.js';
import type { ServerDeps } from '../deps.js';
import { dateTime, errorResponses, productName } from './schemas.js';

interface AuditQuery {
  product?: string;
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  limit?: number;
  before?: number;
}

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    target: { type: 'string' },
    product: { type: ['string', 'null'] },
    before: {},
    after: {},
    requestId: { type: ['string', 'null'] },
  },
  required: ['id', 'at', 'actor', 'action', 'target', 'product', 'requestId'],
} as const;

export async function auditRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  app.get<{ Querystring: AuditQuery }>('/audit', {
    onRequest: requireRole('admin'),
    schema: {
      tags: ['audit'],
      summary: 'Read the audit log, newest first. Page with ?before=<nextBefore of the previous page>',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          product: productName,
          from: { ...dateTime, description: 'Entries at or after this time' },
          to: { ...dateTime, description: 'Entries before this time' },
          actor: { type: 'string', maxLength: 200 },
          action: { type: 'string', maxLength: 100 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          before: { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'Only entries with a smaller id' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { entries: { type: 'array', items: entrySchema }, nextBefore: { type: ['integer', 'null'] } },
          required: ['entries', 'nextBefore'],
        },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 100;
    const { rows } = await deps.db.query<Record<string, unknown>>(
      `SELECT id, at, actor, action, target, product, before, after, request_id FROM audit
        WHERE ($1::text IS NULL OR product = $1)
          AND ($2::timestamptz IS NULL OR at >= $2)
          AND ($3::timestamptz IS NULL OR at < $3)
          AND ($4::text IS NULL OR actor = $4)
          AND ($5::text IS NULL OR action = $5)
          AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC LIMIT $7`,
      [q.product ?? null, q.from ?? null, q.to ?? null, q.actor ?? null, q.action ?? null, q.before ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      entries: page.map((r) => ({
        id: Number(r['id']),
        at: new Date(r['at'] as string | Date).toISOString(),
        actor: r['actor'],
        action: r['action'],
        target: r['target'],
        product: r['product'] ?? null,
        before: r['before'] ?? null,
        after: r['after'] ?? null,
        requestId: r['request_id'] ?? null,
      })),
      nextBefore: rows.length > limit ? Number(page[page.length - 1]!['id']) : null,
    };
  });
}
