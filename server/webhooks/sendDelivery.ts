/**
 * One HTTP attempt of a delivery. The server calls a URL an admin chose, so it bounds what it can be
 * made to do: 5 s at most, no redirects followed (a 3xx is a failure, so the body and signature are
 * never re-sent to another address), and the response body is never read, only its status.
 */
import { deliveryBody } from './deliveryBody.js';
import { signDelivery } from './signature.js';
import type { ClaimedDelivery } from '../store/webhookDeliveries.js';

/** A receiver should answer fast and work later; longer than this is a failed attempt. */
export const SEND_TIMEOUT_MS = 5000;

/** The status code, or why there is none (timeout, refused connection…). */
export type SendResult = { ok: boolean; statusCode: number; error: string | null } | { ok: false; statusCode: null; error: string };

export interface SendOptions {
  fetch?: typeof fetch;
  /** Unix seconds for `X-Finch-Timestamp`. @default the current time */
  nowSeconds?: () => number;
  /** Aborts the attempt when the dispatcher stops. */
  signal?: AbortSignal;
}

const MAX_ERROR_LENGTH = 500;

export async function sendDelivery(d: ClaimedDelivery, opts: SendOptions = {}): Promise<SendResult> {
  const body = deliveryBody(d.format, { id: d.id, type: d.event, createdAt: d.createdAt, data: d.payload });
  const timestamp = (opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000)))();
  const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
  try {
    const res = await (opts.fetch ?? fetch)(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Finch-Webhooks/1',
        'x-finch-event': d.event,
        'x-finch-delivery': String(d.id),
        'x-finch-timestamp': String(timestamp),
        'x-finch-signature': signDelivery(d.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: opts.signal === undefined ? timeout : AbortSignal.any([timeout, opts.signal]),
    });
    // Only the status matters: drop the body unread, so a huge or endless answer costs nothing.
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, statusCode: null, error: describe(err, timeout).slice(0, MAX_ERROR_LENGTH) };
  }
}

function describe(err: unknown, timeout: AbortSignal): string {
  if (timeout.aborted) return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  if (!(err instanceof Error)) return String(err);
  // undici hides the reason (ECONNREFUSED, a DNS failure) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
