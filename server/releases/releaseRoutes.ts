import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PRODUCT_NAME } from '../../core/manifest.js';
import { RELEASES_PATH, releasesRoot } from '../model/releaseLocation.js';
import { sendError } from '../errors/errorHandler.js';
import { etagMatches } from '../http/etag.js';
import { contentTypeOf, opensAsDocument } from './contentType.js';
import { releaseSegments } from './releasePath.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Every file of a build is someone's upload, served from this origin where the console's session
 * lives. A file that would open as a page (HTML, SVG, XML, unknown types) is sent as a download, and
 * should a browser open it anyway, `sandbox` gives it an opaque origin with scripts, forms and plugins
 * off, so it can neither read nor ride the session; `default-src 'none'` stops it loading anything.
 * Scripts, styles, images and fonts get only `nosniff`: a page's script ignores the CSP of its response,
 * but a worker started from a build's script would be bound by it, and opened by itself such a file
 * is shown as text.
 */
const SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

function notFound(reply: FastifyReply): FastifyReply {
  reply.header('Cache-Control', 'no-store');
  return sendError(reply, 404, 'not-found', 'No such release file.');
}

/**
 * Serves stored builds. Every step that could leave the release is closed: the raw URL is parsed
 * (no decoded `%2f`/`%2e%2e` surprises), `.`/`..` segments are refused, and the real path (symlinks
 * resolved) must still be inside `{product}/{resourceId}/` and a regular file.
 */
export async function releaseRoutes(app: FastifyInstance, opts: { dataDir: string }): Promise<void> {
  const root = releasesRoot(opts.dataDir);
  app.get(`${RELEASES_PATH}*`, { schema: { hide: true }, config: { auth: false } }, async (request, reply) => {
    const rawPath = (request.raw.url ?? '').split('?')[0]!.slice(RELEASES_PATH.length);
    const [product, id, ...rest] = rawPath.split('/');
    if (!product || !PRODUCT_NAME.test(product) || !id || !/^[1-9][0-9]{0,9}$/.test(id)) return notFound(reply);
    const segments = releaseSegments(rest.join('/'));
    if (!segments) return notFound(reply);
    const releaseDir = path.join(root, product, id);
    let file: string;
    let realDir: string;
    try {
      [file, realDir] = await Promise.all([realpath(path.join(releaseDir, ...segments)), realpath(releaseDir)]);
    } catch {
      return notFound(reply);
    }
    if (!file.startsWith(realDir + path.sep)) return notFound(reply);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound(reply);

    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    reply
      .header('Cache-Control', IMMUTABLE)
      .header('ETag', etag)
      .header('X-Content-Type-Options', 'nosniff')
      // Builds are public; CORS lets pages on other origins load them with integrity (crossorigin).
      .header('Access-Control-Allow-Origin', '*')
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    reply.header('Content-Type', contentTypeOf(file)).header('Content-Length', info.size);
    // Navigating to an HTML or SVG file of a build downloads it instead of opening it.
    if (opensAsDocument(file)) reply.header('Content-Disposition', 'attachment').header('Content-Security-Policy', SANDBOX);
    return reply.send(createReadStream(file));
  });
}
