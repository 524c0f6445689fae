/**
 * The RequestContext a user's own getConsoleVersion request would get, for a user who is not the one
 * asking (who-gets-what). getConsoleVersion reads headers, cookies and identity-token claims from the
 * request itself; here they arrive as attributes named the way rules read them (`header.x-beta`,
 * `cookie.ab`, `claim.plan`), are turned back into that request's pieces, and go through the same
 * buildRequestContext, so both paths agree on every rule.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext, RuleValue, Snapshot } from '../../core/index.js';
import { buildRequestContext } from './requestContext.js';

export interface SimulatedUser {
  userId: string | null;
  /** The client IP, normalized. */
  ip: string | null;
  /** What a client sends, plus `header.*`, `cookie.*` and `claim.*` standing for the request's own. */
  attributes: Readonly<Record<string, RuleValue>>;
}

/** Characters that would split a Cookie header differently from how it was meant. */
const COOKIE_NAME_BREAKS = /[;=\s]/;

export function simulatedContext(snapshot: Snapshot, user: SimulatedUser): RequestContext {
  // Null prototypes: attribute names come from the caller and must not reach Object.prototype.
  const headers = Object.create(null) as IncomingHttpHeaders;
  const claims = Object.create(null) as Record<string, RuleValue>;
  const client = Object.create(null) as Record<string, RuleValue>;
  const cookies: string[] = [];
  for (const [key, value] of Object.entries(user.attributes)) {
    if (key.startsWith('header.')) {
      headers[key.slice('header.'.length).toLowerCase()] = String(value);
    } else if (key.startsWith('cookie.')) {
      const name = key.slice('cookie.'.length);
      if (name !== '' && !COOKIE_NAME_BREAKS.test(name)) cookies.push(`${name}=${encodeURIComponent(String(value))}`);
    } else if (key.startsWith('claim.')) {
      claims[key] = value;
    } else {
      client[key] = value;
    }
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  return buildRequestContext(snapshot, headers, { userId: user.userId, claims }, user.ip, client);
}
