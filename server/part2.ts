/**
 * server-B's half of the control plane, registered by `buildApp` after its own routes: sign-in, users,
 * tokens, audit, build upload, release hosting and `/finch-sw.js`, client reports, `/metrics`, `/healthz`.
 */
import type { FastifyInstance } from 'fastify';
import { bootstrapAdmin } from './auth/users.js';
import type { ServerDeps } from './deps.js';
import type { Metrics } from './metrics/Metrics.js';
import { healthRoute } from './metrics/healthRoute.js';
import { metricsPlugin } from './metrics/metricsPlugin.js';
import { releaseRoutes } from './releases/releaseRoutes.js';
import { swRoute } from './releases/swRoute.js';
import { ReportBuffer } from './reports/ReportBuffer.js';
import { reportRoutes } from './reports/reportRoutes.js';
import { auditRoutes } from './routes/audit.js';
import { sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { uploadRoutes } from './upload/uploadRoute.js';

/** Reports wait in memory at most this long before one batched upsert writes them. */
const REPORT_FLUSH_MS = 5000;

export async function part2(app: FastifyInstance, deps: ServerDeps, metrics: Metrics): Promise<void> {
  // First start on an empty database: someone must be able to sign in and create the rest.
  const admin = await bootstrapAdmin(deps.db, deps.config.adminPassword);
  if (admin?.generated) {
    console.log(`finch: created console user "admin" with password ${admin.password}\n` +
      'finch: it is shown only this once; change it with PATCH /api/v1/users/admin.');
  }

  const reports = new ReportBuffer(() => metrics.reportsDropped.inc());

  await app.register(metricsPlugin, { metrics });
  await app.register(healthRoute, { db: deps.db });
  await app.register(swRoute, { enabled: deps.config.serviceWorker });
  await app.register(releaseRoutes, { dataDir: deps.config.dataDir });

  await app.register(async (api) => {
    await api.register(sessionRoutes, { deps });
    await api.register(userRoutes, { deps });
    await api.register(tokenRoutes, { deps });
    await api.register(auditRoutes, { deps });
    await api.register(uploadRoutes, { deps });
    await api.register(reportRoutes, { db: deps.db, buffer: reports, metrics });
  }, { prefix: '/api/v1' });

  const timer = setInterval(() => {
    reports.flush(deps.db).catch((err: unknown) => app.log.warn({ err }, 'failed to write report counts; kept for the next try'));
  }, REPORT_FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await reports.flush(deps.db).catch((err: unknown) => app.log.warn({ err }, 'failed to write report counts at shutdown'));
  });
}
