/**
 * What a webhook may be. Its URL is called by the server itself, so only http(s) is accepted, without
 * user:password (it would sit in the clear in every listing); addresses inside the network are not
 * refused (a receiver often lives there), which is why only admins create webhooks.
 */
import { FinchError } from '../../core/FinchError.js';
import type { WebhookFormat } from '../store/webhooks.js';
import { ALL_EVENTS, isWebhookEvent } from './events.js';

export const MAX_WEBHOOK_URL = 2048;
export const MIN_SECRET = 16;
export const MAX_SECRET = 256;

export interface WebhookInput {
  url: string;
  events: string[];
  secret: string;
  format?: WebhookFormat;
}

function invalid(field: string, message: string): FinchError {
  return new FinchError('invalid-input', `Failed to create the webhook: ${message}`, { field: `body/${field}` });
}

/** The URL as it will be called; `invalid-input` naming the field otherwise. */
export function checkWebhookUrl(text: string): string {
  if (text.length > MAX_WEBHOOK_URL) throw invalid('url', `the URL is longer than ${MAX_WEBHOOK_URL} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('url', `"${text.slice(0, 100)}" is not an absolute URL. Give one like https://hooks.example.com/finch.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('url', `only http and https URLs can be called, not ${url.protocol}.`);
  if (url.username !== '' || url.password !== '') throw invalid('url', 'the URL carries a user name or password; the signature proves the sender, so leave them out.');
  if (url.hash !== '') throw invalid('url', 'the URL has a #fragment, which is never sent; leave it out.');
  // Normalising percent-encodes, which can make the URL longer than what was checked above.
  if (url.href.length > MAX_WEBHOOK_URL) throw invalid('url', `the URL is longer than ${MAX_WEBHOOK_URL} characters once encoded.`);
  return url.href;
}

/** The events, deduplicated; `*` only alone. */
export function checkEvents(events: readonly string[]): string[] {
  if (events.length === 0) throw invalid('events', 'name at least one event, or "*" for all.');
  const unique = [...new Set(events)];
  if (unique.includes(ALL_EVENTS)) {
    if (unique.length > 1) throw invalid('events', '"*" already means every event; send it alone.');
    return unique;
  }
  const unknown = unique.find((e) => !isWebhookEvent(e));
  if (unknown !== undefined) throw invalid('events', `"${unknown.slice(0, 100)}" is not an event.`);
  return unique;
}

export function checkSecret(secret: string): string {
  if (secret.length < MIN_SECRET || secret.length > MAX_SECRET) {
    throw invalid('secret', `the secret must be ${MIN_SECRET} to ${MAX_SECRET} characters; use a random one, like openssl rand -hex 32.`);
  }
  return secret;
}
