import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../db/Db.js';
import { ping } from '../db/ping.js';
import { sendError } from '../errors/errorHandler.js';

/** A probe must answer even when the database hangs: give up on it after this long. */
const DB_TIMEOUT_MS = 2000;

/** `GET /healthz`: 200 when the database answers `SELECT 1`, else 503 with the error body. */
export async function healthRoute(app: FastifyInstance, opts: { db: Queryable }): Promise<void> {
  app.get('/healthz', { schema: { hide: true }, config: { auth: false } }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DB_TIMEOUT_MS);
    });
    try {
      await Promise.race([ping(opts.db), timeout]);
      return { status: 'ok' };
    } catch {
      return sendError(reply, 503, 'storage-error', 'The database is not reachable.');
    } finally {
      clearTimeout(timer);
    }
  });
}
