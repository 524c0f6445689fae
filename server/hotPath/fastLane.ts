/**
 * The fast lane: `GET /api/v1/console-version?…`, the request every page load makes, answered straight
 * from the Node request, in front of Fastify. Fastify's per-request work (routing, request and reply
 * objects, hooks, schema validation, a child logger) cost about as much as the answer itself.
 *
 * It takes only requests it is sure of: the exact path, a query `acceptQuery` passes, an identity mode
 * that needs no verification, a server that is not closing. Everything else — errors above all — goes
 * to the Fastify route, which stays the reference: same answerer, same schema, same error body. The
 * request counts and durations go to the same metrics the Fastify hook feeds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuleValue } from '../../core/index.js';
import type { HttpStats } from '../metrics/HttpStats.js';
import { acceptQuery } from './acceptQuery.js';
import { writeAnswer, type Answerer } from './answer.js';

export const CONSOLE_VERSION_PATH = '/api/v1/console-version';

export interface FastLane {
  /** Answers `req` and returns true, or returns false having touched nothing. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** From now on every request goes to Fastify (which answers 503 while closing). */
  close(): void;
}

export function createFastLane(answerer: Answerer, http: HttpStats): FastLane {
  const answerNow = answerer.answerNow;
  let closed = false;
  return {
    close() {
      closed = true;
    },
    handle(req, res) {
      const url = req.url;
      if (answerNow === null || closed || req.method !== 'GET' || url === undefined || !url.startsWith(CONSOLE_VERSION_PATH) || url.charCodeAt(CONSOLE_VERSION_PATH.length) !== 63 /* ? */) return false;
      const started = performance.now();
      const q = acceptQuery(url.slice(CONSOLE_VERSION_PATH.length + 1));
      if (q === null) return false;
      const attributes: Record<string, RuleValue> | undefined = q.deviceId === undefined ? undefined : { deviceId: q.deviceId };
      // A throw (a bug) leaves the request untouched for the route to answer.
      const a = answerNow(req, q.products, q.userId, attributes);
      writeAnswer(res, a);
      http.record('GET', CONSOLE_VERSION_PATH, a.status, (performance.now() - started) / 1000);
      return true;
    },
  };
}
