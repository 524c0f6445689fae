/**
 * `GET /revision` (viewer): the revision counter, which every change of products, builds or strategies
 * bumps. Open consoles poll it every few seconds and reload what they show when it moves; it is read
 * from the in-memory snapshot, so a poll costs no query, and `If-None-Match` makes an unchanged one a 304.
 */
import type { FastifyInstance } from 'fastify';
import type { SnapshotStore } from '../snapshot/SnapshotStore.js';
import { etagMatches } from '../http/etag.js';
import { requireRole } from '../http/guards.js';
import { errorResponses } from './schemas.js';

export async function revisionRoutes(app: FastifyInstance, opts: { snapshot: SnapshotStore }): Promise<void> {
  app.get('/revision', {
    onRequest: requireRole('viewer'),
    schema: {
      summary: 'The current revision, to notice changes: ETag "r<revision>", If-None-Match answers 304',
      response: {
        200: { type: 'object', properties: { revision: { type: 'integer' } }, required: ['revision'] },
        304: { type: 'null' },
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const { revision } = opts.snapshot.current();
    const etag = `"r${revision}"`;
    // Per user (it needs a session), and stale the moment anything changes.
    reply.header('ETag', etag).header('Cache-Control', 'private, no-cache');
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return { revision };
  });
}
