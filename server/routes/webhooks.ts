/**
 * Webhooks, managed by admins: the server calls their URLs, which may be inside its own network, so
 * nobody else may choose them. The secret is taken once and never answered. Mount under `/api/v1`.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import { listWebhooks, type WebhookFormat } from '../store/webhooks.js';
import { MAX_SECRET, MAX_WEBHOOK_URL, MIN_SECRET } from '../webhooks/checkWebhook.js';
import { deliveryLog } from '../webhooks/deliveryLog.js';
import { createWebhook, deleteWebhook } from '../webhooks/webhookChanges.js';
import { WEBHOOK_EVENTS } from '../webhooks/events.js';
import { errorResponses, idParams, record, webhookEvent } from './schemas.js';

const webhookSchema = record({
  id: { type: 'integer' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string' } },
  format: { type: 'string', enum: ['json', 'slack'] },
  createdBy: { type: 'string' },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
  disabledAt: { type: ['string', 'null'], description: 'When it was deleted; null while it is live' },
});

const deliverySchema = record({
  id: { type: 'integer' },
  webhookId: { type: 'integer' },
  event: { type: 'string' },
  status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
  attempts: { type: 'integer' },
  nextAttemptAt: { type: 'string', description: 'When a pending delivery is tried next; otherwise when it ended' },
  lastStatusCode: { type: ['integer', 'null'], description: 'The HTTP status of the last attempt; null when there was no answer' },
  lastError: { type: ['string', 'null'], description: 'Why the last attempt failed' },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
});

interface WebhookBody {
  url: string;
  events: string[];
  secret: string;
  format?: WebhookFormat;
}

export async function webhookRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;
  const admin = requireRole('admin');

  listRoute(app, { url: '/webhooks', guard: admin, tag: 'webhooks', summary: 'List live webhooks (never their secrets)', key: 'webhooks', item: webhookSchema, list: () => listWebhooks(deps.db) });

  app.post<{ Body: WebhookBody }>('/webhooks', {
    onRequest: admin,
    schema: {
      tags: ['webhooks'],
      summary: 'Create a webhook: signed POSTs of the events it names, retried with back-off',
      body: {
        type: 'object',
        properties: {
          url: { type: 'string', minLength: 1, maxLength: MAX_WEBHOOK_URL, description: 'An http(s) URL the server POSTs to' },
          events: { type: 'array', minItems: 1, maxItems: WEBHOOK_EVENTS.length + 1, items: webhookEvent },
          secret: { type: 'string', minLength: MIN_SECRET, maxLength: MAX_SECRET, description: 'Signs every delivery (X-Finch-Signature); never shown again' },
          format: { type: 'string', enum: ['json', 'slack'], default: 'json', description: 'json: the event; slack: {text} for a Slack incoming webhook' },
        },
        required: ['url', 'events', 'secret'],
        additionalProperties: false,
      },
      response: { 201: webhookSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const created = await createWebhook(deps.db, request.body, auditActor(request));
    return reply.code(201).send(created);
  });

  app.delete<{ Params: { id: string } }>('/webhooks/:id', {
    onRequest: admin,
    schema: {
      tags: ['webhooks'],
      summary: 'Delete a webhook: nothing more is sent to it; its delivery log stays',
      params: idParams,
      response: { 200: webhookSchema, ...errorResponses },
    },
  }, async (request) => deleteWebhook(deps.db, Number(request.params.id), auditActor(request)));

  app.get<{ Params: { id: string }; Querystring: { limit?: number; before?: number } }>('/webhooks/:id/deliveries', {
    onRequest: admin,
    schema: {
      tags: ['webhooks'],
      summary: 'A webhook\'s deliveries and their outcomes, newest first. Page with ?before=<nextBefore>',
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          before: { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'Only deliveries with a smaller id' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { deliveries: { type: 'array', items: deliverySchema }, nextBefore: { type: ['integer', 'null'] } },
          required: ['deliveries', 'nextBefore'],
        },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const { limit = 50, before } = request.query;
    return deliveryLog(deps.db, Number(request.params.id), { limit, ...(before !== undefined ? { before } : {}) });
  });
}
