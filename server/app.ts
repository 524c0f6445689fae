/**
 * Builds the control plane as a Fastify plugin tree; `main.ts` only listens and shuts down, and
 * start-up work (migrations, the first admin, timers) is `createDeps`'s. Order matters: error handling
 * and validation first, then the auth plugin (it decorates every request with its principal), then the
 * routes, each file one resource.
 */
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { ServerDeps } from './deps.js';
import { installErrorHandling, sendError } from './errors/errorHandler.js';
import { installValidation } from './http/validation.js';
import { productRoutes } from './routes/products.js';
import { resourceRoutes } from './routes/resources.js';
import { strategyRoutes } from './routes/strategies.js';
import { consoleVersionRoutes } from './routes/consoleVersion.js';
import { authPlugin } from './http/authPlugin.js';
import { healthRoute } from './routes/health.js';
import { metricsPlugin } from './http/metricsPlugin.js';
import { releaseRoutes } from './releases/releaseRoutes.js';
import { installReleasesOrigin } from './releases/releasesOrigin.js';
import { swRoute } from './releases/swRoute.js';
import { browserFilesRoute } from './releases/browserFilesRoute.js';
import { consoleRoute } from './releases/consoleRoute.js';
import { reportRoutes } from './routes/reports.js';
import { explainRoutes } from './routes/explain.js';
import { revisionRoutes } from './routes/revision.js';
import { auditRoutes } from './routes/audit.js';
import { sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { uploadRoutes } from './routes/upload.js';
import { legacyActionRoutes } from './routes/actions.js';
import { webhookRoutes } from './routes/webhooks.js';
import { rolloutRoutes } from './routes/rollouts.js';
import { createAnswerer } from './hotPath/answer.js';
import { createFastLane } from './hotPath/fastLane.js';
import { createMetrics } from './metrics/Metrics.js';

/** JSON bodies up to 8 MiB: a rule may list 100,000 user ids. Uploads set their own limit. */
export const BODY_LIMIT = 8 * 1024 * 1024;

/** Fastify's default: longer than the usual load balancer's idle timeout, so the proxy closes first. */
const KEEP_ALIVE_MS = 72_000;

export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const metrics = createMetrics(deps.snapshot, deps.reports);
  const answerer = createAnswerer(deps);
  const lane = createFastLane(answerer, metrics.http);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // proxy-addr walks X-Forwarded-For right to left past these hops; none trusted → the socket peer (spoofed IP, docs/failures.md).
    trustProxy: deps.config.trustProxy.length > 0 ? deps.config.trustProxy : false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A malformed URL (a broken percent-escape) fails before routing; answer it with our error body too.
    frameworkErrors: (err, _request, reply) => void sendError(reply, 400, 'invalid-input', `Invalid URL: ${err.message}.`),
    // Fastify's own HTTP server, with the fast lane in front of its handler (hotPath/fastLane.ts).
    keepAliveTimeout: KEEP_ALIVE_MS,
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        try {
          if (lane.handle(req, res)) return;
        } catch (err) {
          // A bug in the lane: log it and let the route answer (it shares the code, so likely a 500).
          app.log.error({ err }, 'fast lane failed; the route answers');
        }
        handler(req, res);
      });
      // As on a server Fastify makes itself; Node's request and header timeouts stay on against slow clients.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      return server;
    },
  });
  // Closing: Fastify answers 503 to new requests, so the lane steps aside first.
  app.addHook('preClose', (done) => {
    lane.close();
    done();
  });
  installErrorHandling(app);
  installValidation(app);
  installReleasesOrigin(app, deps.config.releasesOrigin);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Finch control plane', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'finch_session' },
        },
      },
    },
  });

  await app.register(authPlugin, { deps });
  await app.register(metricsPlugin, { metrics });
  await app.register(healthRoute, { db: deps.db });
  await app.register(swRoute, { enabled: deps.config.serviceWorker });
  await app.register(browserFilesRoute, {});
  await app.register(consoleRoute, {});
  await app.register(releaseRoutes, { dataDir: deps.config.dataDir });

  await app.register(async (api) => {
    await api.register(sessionRoutes, { deps });
    await api.register(userRoutes, { deps });
    await api.register(tokenRoutes, { deps });
    await api.register(auditRoutes, { deps });
    await api.register(productRoutes, { deps });
    await api.register(resourceRoutes, { deps });
    await api.register(strategyRoutes, { deps });
    await api.register(uploadRoutes, { deps });
    await api.register(legacyActionRoutes, { deps });
    await api.register(webhookRoutes, { deps });
    await api.register(rolloutRoutes, { deps });
    await api.register(reportRoutes, { db: deps.db, buffer: deps.reports, metrics, now: deps.now, tokens: deps.reportTokens, reportTokens: deps.config.reportTokens });
    await api.register(consoleVersionRoutes, { answerer });
    await api.register(explainRoutes, { deps });
    await api.register(revisionRoutes, { snapshot: deps.snapshot });
    api.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => {
      reply.type('application/json; charset=utf-8');
      return JSON.stringify(app.swagger());
    });
  }, { prefix: '/api/v1' });
  return app;
}
