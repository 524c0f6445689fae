/**
 * The requests the fuzzer sends, as fast-check arbitraries: a route's path parameters live or hostile,
 * a query from the route's own keys and hostile ones, a body (the route's example broken, or an archive
 * for the upload route), a content type, and odd If-Match and cookie headers.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { liveParam, type Seeded } from './examples.js';
import { hostileJson, hostileUrlText } from './hostile.js';
import { mutatedBody } from './mutate.js';
import { paramNames, type RouteInfo } from './routeList.js';

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const ODD_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/gzip',
  'application/json; charset=utf-16le', 'application/vnd.api+json', 'text/html', 'application/json, text/plain', '*/*', '',
];
const GZIP_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar+gzip'];

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  note: string;
}

export interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
}

const toOpenApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function queryKeys(doc: OpenApi, route: RouteInfo): string[] {
  const op = doc.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
  return (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

/** A body for a route with no example: each field its OpenAPI document names, as a string. */
function bodyFromOpenApi(doc: OpenApi, route: RouteInfo): Record<string, unknown> {
  const op = doc.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
  const props = op?.requestBody?.content?.['application/json']?.schema?.properties ?? {};
  return Object.fromEntries(Object.keys(props).map((k) => [k, 'x']));
}

export interface FuzzContext {
  seeded: Seeded;
  doc: OpenApi;
  examples: Record<string, unknown>;
  /** tar.gz archives, good and hostile, for the upload route. */
  tarballs: Buffer[];
  /** The credentials every request carries. */
  auth: Record<string, string>;
}

/** One request to `route`: path parameters live or hostile, a query, a body and headers. */
export function requestArb(route: RouteInfo, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const { seeded, doc, examples, tarballs, auth } = ctx;
  const params = paramNames(route.url).map((name) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant(liveParam(seeded, route.method, route.url, name)) }, { weight: 2, arbitrary: hostileUrlText }).map((v) => [name, v] as const));
  const keys = queryKeys(doc, route);
  const queryPair = fc.tuple(
    fc.oneof(fc.constantFrom(...(keys.length > 0 ? keys : ['x'])), hostileUrlText),
    fc.oneof(hostileUrlText, fc.constantFrom('1', '100', seeded.product, '2030-01-01T00:00:00Z', 'product.create')),
  );
  const query = fc.oneof(fc.constant(''), fc.array(queryPair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));
  const ifMatch = fc.option(fc.constantFrom('*', '"s1-v1"', 'W/"s1-v1"', '"s99999999999-v1"', `"s${seeded.strategyId}-v1"`, 'x'.repeat(2000)), { nil: undefined });
  const cookie = fc.option(fc.constantFrom('finch_session=%00', `finch_session=${'x'.repeat(5000)}`, 'finch_session=;;;', 'finch_session', 'finch_session=a; finch_session=b', '=='), { nil: undefined, freq: 8 });

  const key = `${route.method} ${route.url}`;
  let body: fc.Arbitrary<{ type: string | undefined; payload: string | Buffer | undefined; kind: string }>;
  if (route.method === 'PUT' && route.url.endsWith('/files')) {
    const bytes = fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a));
    body = fc.record({
      type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GZIP_TYPES) }, { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES, ...ODD_TYPES) }),
      payload: fc.oneof(fc.constantFrom(...tarballs), bytes, bytes.map((b) => gzipSync(b)), hostileJson, fc.constant(undefined)),
      kind: fc.constant('archive'),
    });
  } else if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) {
    const example = (examples[key] as Record<string, unknown> | undefined) ?? bodyFromOpenApi(doc, route);
    body = fc.record({
      type: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...JSON_TYPES) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_TYPES) }, { weight: 1, arbitrary: fc.constant(undefined) }),
      mutation: route.method === 'DELETE' ? fc.option(mutatedBody(example), { nil: undefined, freq: 3 }) : mutatedBody(example),
    }).map(({ type, mutation }) => ({ type: mutation === undefined ? undefined : type, payload: mutation?.text, kind: mutation?.kind ?? 'none' }));
  } else {
    body = fc.constant({ type: undefined, payload: undefined, kind: 'none' });
  }

  return fc.tuple(fc.tuple(...params), query, body, ifMatch, cookie).map(([values, q, b, im, c]) => {
    let url = route.url;
    for (const [name, v] of values) url = url.replace(`:${name}`, v);
    const headers: Record<string, string> = { ...auth };
    if (b.type !== undefined) headers['content-type'] = b.type;
    if (im !== undefined) headers['if-match'] = im;
    if (c !== undefined) headers['cookie'] = c;
    return { method: route.method, url: url + q, headers, ...(b.payload !== undefined ? { payload: b.payload } : {}), note: b.kind };
  });
}

export function describeRequest(r: FuzzRequest): string {
  const payload = r.payload === undefined ? '' : typeof r.payload === 'string' ? r.payload : `<${r.payload.length} bytes>`;
  const short = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return `${r.method} ${short(r.url)} [${r.note}] content-type=${r.headers['content-type'] ?? '-'} body=${JSON.stringify(short(payload))}`;
}

