/**
 * `GET` of a collection, the same way for every resource: a guard, the body `{ [key]: items }` in the
 * OpenAPI document, the error answers.
 */
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { errorResponses, listOf } from '../routes/schemas.js';

export interface ListRoute<P> {
  url: string;
  guard: onRequestHookHandler;
  tag: string;
  summary: string;
  /** The body's one property, like `products`. */
  key: string;
  item: object;
  params?: object;
  list(request: FastifyRequest<{ Params: P }>): Promise<unknown[]>;
}

export function listRoute<P = unknown>(app: FastifyInstance, route: ListRoute<P>): void {
  app.get<{ Params: P }>(route.url, {
    onRequest: route.guard,
    schema: {
      tags: [route.tag],
      summary: route.summary,
      ...(route.params !== undefined ? { params: route.params } : {}),
      response: { 200: listOf(route.key, route.item), ...errorResponses },
    },
  }, async (request) => ({ [route.key]: await route.list(request) }));
}
