/**
 * The RequestContext rules are evaluated against: the proven user, the client IP, and attributes from
 * the client, headers (`header.<lower-case name>`), cookies (`cookie.<name>`) and JWT claims
 * (`claim.<name>`). A client cannot send attributes under those prefixes: they would spoof the server's.
 *
 * Only the headers and cookies some rule of the snapshot reads are copied (`Snapshot.attributes`): a
 * browser sends a dozen headers and a cookie jar with every request, and rules name few of them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext, RuleValue, Snapshot } from '../../core/index.js';
import { parseCookies } from './cookies.js';
import type { Identity } from './identity.js';

const RESERVED = /^(header|cookie|claim)\./;

/** What to copy from a request for one snapshot: [attribute, header or cookie name] pairs. */
interface Wanted {
  headers: Array<[string, string]>;
  cookies: Array<[string, string]>;
}

const wantedBySnapshot = new WeakMap<Snapshot, Wanted>();

function wantedOf(snapshot: Snapshot): Wanted {
  let w = wantedBySnapshot.get(snapshot);
  if (w === undefined) {
    w = { headers: [], cookies: [] };
    for (const name of snapshot.attributes) {
      if (name.startsWith('header.')) {
        const header = name.slice('header.'.length);
        // Credentials are never rule input, and Finch's own cookies (session, identity token) are credentials.
        if (header !== 'authorization' && header !== 'cookie') w.headers.push([name, header]);
      } else if (name.startsWith('cookie.')) {
        const cookie = name.slice('cookie.'.length);
        if (!cookie.startsWith('finch_')) w.cookies.push([name, cookie]);
      }
    }
    wantedBySnapshot.set(snapshot, w);
  }
  return w;
}

export function buildRequestContext(
  snapshot: Snapshot,
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
  const wanted = wantedOf(snapshot);
  for (const [key, header] of wanted.headers) {
    const value = headers[header];
    if (value !== undefined) attributes[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (wanted.cookies.length > 0 && headers.cookie !== undefined) {
    const jar = parseCookies(headers.cookie);
    for (const [key, cookie] of wanted.cookies) {
      const value = jar.get(cookie);
      if (value !== undefined) attributes[key] = value;
    }
  }
  for (const k in identity.claims) attributes[k] = identity.claims[k] as RuleValue;
  return { userId: identity.userId, ip, attributes };
}
