import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../metrics/Metrics.js';

/**
 * Counts and times every response of the whole app (not encapsulated, so its hooks see every route,
 * also those registered before it). Routes are labelled by pattern, never by raw URL, so scans of
 * random paths cannot blow up the series count.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: { metrics: Metrics }) => {
    const { http, registry } = opts.metrics;
    // A callback hook, not async: no promise per response on the hot path.
    app.addHook('onResponse', (request, reply, done) => {
      http.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
    app.get('/metrics', { schema: { hide: true }, config: { auth: false } }, async (_request, reply) => {
      reply.header('Content-Type', registry.contentType).header('Cache-Control', 'no-store');
      return registry.metrics();
    });
  },
  { name: 'finch-metrics', fastify: '5.x' },
);
