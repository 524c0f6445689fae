/** `GET /audit`: the audit log for admins, newest first, filtered by product, time and actor, paged by cursor. */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { requireRole } from '../http/guards.js';
import { readAudit, type AuditFilter } from '../store/audit.js';
import { dateTime, errorResponses, productName, record } from './schemas.js';

interface AuditQuery extends AuditFilter {
  limit?: number;
}

const entrySchema = record({
  id: { type: 'integer' },
  at: { type: 'string' },
  actor: { type: 'string' },
  action: { type: 'string' },
  target: { type: 'string' },
  product: { type: ['string', 'null'] },
  before: {},
  after: {},
  requestId: { type: ['string', 'null'] },
  details: { description: 'How the change was asked for, beyond its actor (a legacy call\'s claimed remoteUser), or null' },
}, ['before', 'after', 'details']);

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
    const { limit = 100, ...filter } = request.query;
    return readAudit(deps.db, filter, limit);
  });
}
