/** Creating and deleting webhooks, each with its audit row in the same transaction. The secret is never audited. */
import { FinchError } from '../../core/FinchError.js';
import type { Db } from '../db/Db.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { failPendingDeliveries } from '../store/webhookDeliveries.js';
import { countActiveWebhooks, disableWebhook, insertWebhook, lockWebhooks, type WebhookInfo } from '../store/webhooks.js';
import { checkEvents, checkSecret, checkWebhookUrl, type WebhookInput } from './checkWebhook.js';

/** Webhooks not deleted, at most: every event is a delivery to each of them. */
export const MAX_WEBHOOKS = 100;

export function createWebhook(db: Db, input: WebhookInput, by: AuditActor): Promise<WebhookInfo> {
  const url = checkWebhookUrl(input.url);
  const events = checkEvents(input.events);
  const secret = checkSecret(input.secret);
  return db.tx(async (q) => {
    // Two admins creating at once must not both pass the count.
    await lockWebhooks(q);
    if ((await countActiveWebhooks(q)) >= MAX_WEBHOOKS) {
      throw new FinchError('invalid-input', `Failed to create the webhook: at most ${MAX_WEBHOOKS} webhooks may exist. Delete one you no longer need.`, { limit: MAX_WEBHOOKS });
    }
    const created = await insertWebhook(q, { url, events, secret, format: input.format ?? 'json', createdBy: by.actor });
    await writeAudit(q, { ...by, action: 'webhook.create', target: `webhook:${created.id}`, after: created });
    return created;
  });
}

/**
 * Deletes a webhook: no more deliveries (pending ones are given up), its log stays readable.
 * `not-found` when unknown; deleting twice writes no second audit row.
 */
export function deleteWebhook(db: Db, id: number, by: AuditActor): Promise<WebhookInfo> {
  return db.tx(async (q) => {
    const result = await disableWebhook(q, id);
    if (result === null) throw new FinchError('not-found', `Webhook ${id} does not exist.`);
    if (result.before.disabledAt === null) {
      await failPendingDeliveries(q, id, 'the webhook was deleted');
      await writeAudit(q, { ...by, action: 'webhook.delete', target: `webhook:${id}`, before: result.before, after: result.after });
    }
    return result.after;
  });
}
