/** Emitting an event: a delivery per subscribed webhook, written in the caller's transaction. */
import { FinchError } from '../../core/FinchError.js';
import type { Queryable } from '../db/Db.js';
import { insertDeliveries } from '../store/webhookDeliveries.js';
import type { WebhookEvent, WebhookPayloads } from './events.js';

/** A payload is a summary; past this it is a bug in the caller, and receivers would refuse it anyway. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/**
 * Queues `type` for every webhook subscribed to it, inside the transaction `q` belongs to: if that
 * transaction rolls back, nothing is sent; once it commits, the dispatcher sends it. Returns how many
 * deliveries were queued.
 * @example await deps.change(async (q) => { …; await emitEvent(q, 'build.published', { product, resourceId, version, baseUrl }); })
 */
export async function emitEvent<T extends WebhookEvent>(q: Queryable, type: T, payload: WebhookPayloads[T]): Promise<number> {
  const size = Buffer.byteLength(JSON.stringify(payload), 'utf8');
  if (size > MAX_PAYLOAD_BYTES) {
    throw new FinchError('payload-too-large', `Failed to emit ${type}: its payload is ${size} bytes, more than ${MAX_PAYLOAD_BYTES}. Send ids, not whole records.`, { limit: MAX_PAYLOAD_BYTES });
  }
  return insertDeliveries(q, type, payload);
}
