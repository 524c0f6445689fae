import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from './Metrics.js';

/**
 * Counts and times every response of the whole app (not encapsulated, so its hooks see every route,
 * also those registered before it). Routes are labelled by pattern, never by raw URL, so scans of
 * random paths cannot blow up the series count.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: { metrics: Metrics }) => {
    const { requests, duration, registry } = opts.metrics;
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true }, config: { auth: false } }, async (_request, reply) => {
      reply.header('Content-Type', registry.contentType).header('Cache-Control', 'no-store');
      return registry.metrics();
    });
  },
  { name: 'finch-metrics', fastify: '5.x' },
);
