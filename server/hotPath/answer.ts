/**
 * getConsoleVersion's answer (docs/manifest.md), from the raw Node request, so the Fastify routes and the fast
 * lane (fastLane.ts) share every decision: who the user is, the rule context, the body and its ETag.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FinchError, type RuleValue } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { createClientIp } from '../identity/clientIp.js';
import { createIdentify, type Identity } from '../identity/identity.js';
import { buildRequestContext } from '../identity/requestContext.js';
import { createRenderManifest } from '../snapshot/renderManifest.js';
import { MAX_PRODUCTS } from '../model/limits.js';

export interface Answer {
  status: 200 | 304;
  /** Flat name, value list, as `writeHead` takes it. */
  headers: string[];
  /** ASCII JSON; empty for 304. */
  body: string;
}

/** The answer for one request; a promise only where the identity must be verified (jwt). */
export type AnswerRequest = (
  req: IncomingMessage,
  products: readonly string[],
  requestedUser: string | null,
  attributes: Readonly<Record<string, RuleValue>> | undefined,
) => Answer | Promise<Answer>;

export interface Answerer {
  /** A promise in jwt mode, which may reject with `unauthorized`; may throw `invalid-input`. */
  answer: AnswerRequest;
  /** The same, where the identity mode verifies nothing (param, header); null in jwt mode. */
  answerNow: ((...args: Parameters<AnswerRequest>) => Answer) | null;
}

export function createAnswerer(deps: ServerDeps): Answerer {
  const identify = createIdentify(deps.config.identity);
  const clientIp = createClientIp(deps.config.trustProxy);
  const render = createRenderManifest({ ttlSeconds: deps.config.ttlSeconds, serviceWorkerEnabled: deps.config.serviceWorker, tokens: deps.reportTokens });
  // Where identity comes from the request's headers, a cache must key on them.
  const identityMode = deps.config.identity;
  const vary = identityMode.mode === 'header' ? identityMode.header : identityMode.mode === 'jwt' ? 'Authorization, Cookie' : null;

  function build(req: IncomingMessage, products: readonly string[], identity: Identity, attributes: Readonly<Record<string, RuleValue>> | undefined): Answer {
    const loaded = deps.snapshot.current();
    const ctx = buildRequestContext(loaded.snapshot, req.headers, identity, clientIp(req), attributes);
    const { body, etag } = render(loaded, ctx, products, deps.now());
    // The answer depends on who asks: never shared by caches, always revalidated.
    const headers = ['cache-control', 'private, no-cache', 'etag', etag];
    if (vary !== null) headers.push('vary', vary);
    const inm = req.headers['if-none-match'];
    if (inm !== undefined && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return { status: 304, headers, body: '' };
    headers.push('content-type', 'application/json; charset=utf-8', 'content-length', String(body.length));
    return { status: 200, headers, body };
  }

  const answer: AnswerRequest = (req, products, requestedUser, attributes) => {
    if (products.length > MAX_PRODUCTS) throw new FinchError('invalid-input', `Invalid input: at most ${MAX_PRODUCTS} products per request.`);
    const identity = identify(req.headers, requestedUser);
    return identity instanceof Promise ? identity.then((id) => build(req, products, id, attributes)) : build(req, products, identity, attributes);
  };
  const answerNow = (...args: Parameters<AnswerRequest>): Answer => {
    const a = answer(...args);
    // Only param and header modes get here, and their identify never returns a promise.
    if (a instanceof Promise) throw new Error('getConsoleVersion: this identity mode answers asynchronously');
    return a;
  };
  return { answer, answerNow: deps.config.identity.mode === 'jwt' ? null : answerNow };
}

/** The body is ASCII, so its length is its size and latin1 copies it as is (no UTF-8 pass). */
export function writeAnswer(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, a.headers);
  if (a.status === 304) res.end();
  else res.end(a.body, 'latin1');
}
