/**
 * The signature of a delivery: `sha256=` and the hex HMAC-SHA256, keyed with the webhook's secret, of
 * `<timestamp>.<body>`. The timestamp is inside the MAC so a captured delivery cannot be replayed later
 * with a fresh timestamp: receivers refuse old timestamps (docs/webhooks.md shows how to verify).
 */
import { createHmac } from 'node:crypto';

export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}
