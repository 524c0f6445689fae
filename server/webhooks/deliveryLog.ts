/** A webhook's delivery log, newest first; `not-found` for a webhook that never existed. */
import { FinchError } from '../../core/FinchError.js';
import type { Queryable } from '../db/Db.js';
import { listDeliveries, type DeliveryInfo } from '../store/webhookDeliveries.js';
import { getWebhook } from '../store/webhooks.js';

export async function deliveryLog(q: Queryable, webhookId: number, page: { limit: number; before?: number }): Promise<{ deliveries: DeliveryInfo[]; nextBefore: number | null }> {
  if ((await getWebhook(q, webhookId)) === null) throw new FinchError('not-found', `Webhook ${webhookId} does not exist.`);
  return listDeliveries(q, webhookId, page);
}
