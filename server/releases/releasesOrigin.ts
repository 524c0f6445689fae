/**
 * `FINCH_RELEASES_ORIGIN`: one server, two host names. Requests sent to the releases origin (by their
 * scheme and Host) get only `/releases/…` from Fastify's routes; requests to any other name of the
 * server get no build file at all. (Plain `GET /api/v1/console-version`, which anyone may call and
 * which sets nothing, is answered by the fast lane before this hook, on any name.) The console's
 * session cookie belongs to the public origin's host name (config refuses the same name on another
 * port), so no file of a build, whatever it holds and however it is opened, runs where it is sent.
 */
import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors/errorHandler.js';
import { RELEASES_PATH } from '../model/releaseLocation.js';

export function installReleasesOrigin(app: FastifyInstance, releasesOrigin: string | null): void {
  if (releasesOrigin === null) return;
  app.addHook('onRequest', async (request, reply) => {
    const onReleasesOrigin = `${request.protocol}://${request.host}`.toLowerCase() === releasesOrigin;
    const wantsRelease = request.url.startsWith(RELEASES_PATH);
    if (onReleasesOrigin === wantsRelease) return undefined;
    reply.header('Cache-Control', 'no-store');
    return sendError(reply, 404, 'not-found', onReleasesOrigin
      ? `${releasesOrigin} serves builds only (${RELEASES_PATH}…).`
      : `Builds are served at ${releasesOrigin}${RELEASES_PATH}, not on this origin.`);
  });
}
