/**
 * The RequestContext rules are evaluated against: the proven user, the client IP, and attributes from
 * the client, headers (`header.<lower-case name>`), cookies (`cookie.<name>`) and JWT claims
 * (`claim.<name>`). A client cannot send attributes under those prefixes: they would spoof the server's.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext, RuleValue } from '../../core/index.js';
import { parseCookies } from './cookies.js';
import type { Identity } from './identity.js';

const RESERVED = /^(header|cookie|claim)\./;

export function buildRequestContext(
  headers: IncomingHttpHeaders,
  identity: Identity,
  ip: string | null,
  clientAttributes: Readonly<Record<string, RuleValue>> | undefined,
): RequestContext {
  const attributes: Record<string, RuleValue> = {};
  if (clientAttributes !== undefined) {
    for (const [k, v] of Object.entries(clientAttributes)) {
      if (!RESERVED.test(k) && k !== 'userId' && k !== 'ip') attributes[k] = v;
    }
  }
  for (const name in headers) {
    const value = headers[name];
    // Credentials are never rule input.
    if (value === undefined || name === 'authorization' || name === 'cookie') continue;
    attributes[headerKey(name)] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (headers.cookie !== undefined) {
    for (const [name, value] of parseCookies(headers.cookie)) {
      // Finch's own cookies (session, identity token) are credentials.
      if (!name.startsWith('finch_')) attributes[`cookie.${name}`] = value;
    }
  }
  for (const k in identity.claims) attributes[k] = identity.claims[k] as RuleValue;
  return { userId: identity.userId, ip, attributes };
}

/** `header.<name>` keys, built once per header name seen (bounded: names are few, but clients choose them). */
const headerKeys = new Map<string, string>();
function headerKey(name: string): string {
  let key = headerKeys.get(name);
  if (key === undefined) {
    key = `header.${name}`;
    if (headerKeys.size < 1024) headerKeys.set(name, key);
  }
  return key;
}
