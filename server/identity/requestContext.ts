/**
 * The RequestContext rules are evaluated against: the proven user, the client IP, and attributes from
 * the client, headers (`header.<lower-case name>`), cookies (`cookie.<name>`) and JWT claims
 * (`claim.<name>`). A client cannot send attributes under those prefixes: they would spoof the server's.
 */
import type { FastifyRequest } from 'fastify';
import type { RequestContext, RuleValue } from '../../core/index.js';
import { parseCookies } from './cookies.js';
import type { Identity } from './identity.js';

const RESERVED = /^(header|cookie|claim)\./;

export function buildRequestContext(
  request: FastifyRequest,
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
  for (const [name, value] of Object.entries(request.headers)) {
    // Credentials are never rule input.
    if (value === undefined || name === 'authorization' || name === 'cookie') continue;
    attributes[`header.${name}`] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const [name, value] of parseCookies(request.headers.cookie)) {
    // Finch's own cookies (session, identity token) are credentials.
    if (!name.startsWith('finch_')) attributes[`cookie.${name}`] = value;
  }
  Object.assign(attributes, identity.claims);
  return { userId: identity.userId, ip, attributes };
}
