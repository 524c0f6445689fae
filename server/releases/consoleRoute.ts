/**
 * The operators' web console at `/console/`: the files of `dist/console/` (index.html, hashed scripts
 * and styles), under a strict policy. The console signs in with the session cookie on this origin, so
 * everything it is made of is locked down: no inline script, nothing from elsewhere, no framing.
 * The folder's listing is read on every request, like the SDK files: a rebuild is picked up without a
 * restart, and only names that are regular files in it are ever opened (no path is built from input).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../errors/errorHandler.js';
import { etagMatches } from '../http/etag.js';
import { contentTypeOf } from './contentType.js';
import { packageDistDir } from './packageDist.js';
import { releaseSegments } from './releasePath.js';

export const CONSOLE_PATH = '/console/';

/** Exactly what the console may do: its own scripts, styles, images and fonts, and fetches to this origin. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Rollup's `[name]-[hash].ext`: a hash of 8 or more base64url characters. Requiring an upper-case
 * letter, digit or `_` in it keeps plain words (`-polyfills.js`) out; a hash without one is so rare
 * that the cost, a revalidation, does not matter.
 */
const HASHED = /-(?=[A-Za-z0-9_-]*[A-Z0-9_])[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export function isHashedName(file: string): boolean {
  return HASHED.test(path.posix.basename(file));
}

export interface ConsoleRouteOptions {
  /** @default dist/console of this package */
  dir?: string;
}

function setConsoleHeaders(reply: FastifyReply): void {
  reply
    .header('Content-Security-Policy', CONSOLE_CSP)
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Every regular file under `dir`, as `/`-separated relative names; null when the folder is missing. */
async function listFiles(dir: string): Promise<Set<string> | null> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    // isFile() is false for symbolic links, so a link cannot lead out of the folder.
    return new Set(entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')));
  } catch {
    return null;
  }
}

export async function consoleRoute(app: FastifyInstance, opts: ConsoleRouteOptions): Promise<void> {
  const dir = opts.dir ?? path.join(packageDistDir(), 'console');
  const route = { schema: { hide: true }, config: { auth: false } } as const;

  const notFound = (reply: FastifyReply, message: string): FastifyReply => {
    reply.header('Cache-Control', 'no-store');
    return sendError(reply, 404, 'not-found', message);
  };

  async function serve(request: FastifyRequest, reply: FastifyReply, name: string): Promise<FastifyReply> {
    const files = await listFiles(dir);
    if (files === null || !files.has('index.html')) {
      return notFound(reply, 'Failed to serve the console: dist/console/index.html is missing. Run `npm run build`, or reinstall finch-gray-server.');
    }
    if (!files.has(name)) return notFound(reply, 'No such console file.');
    let body: Buffer;
    try {
      body = await readFile(path.join(dir, ...name.split('/')));
    } catch {
      // Removed between the listing and the read (a rebuild in progress).
      return notFound(reply, 'No such console file.');
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    // index.html names the current hashed files, so it is revalidated on every load; they never change.
    reply.header('Cache-Control', name !== 'index.html' && isHashedName(name) ? IMMUTABLE : 'no-cache').header('ETag', etag);
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(contentTypeOf(name)).send(body);
  }

  app.get('/console', route, async (_request, reply) => {
    setConsoleHeaders(reply);
    return reply.redirect(CONSOLE_PATH, 301);
  });

  app.get(`${CONSOLE_PATH}*`, route, async (request, reply) => {
    setConsoleHeaders(reply);
    // The raw path, so an encoded `%2f` or `%2e%2e` is refused rather than decoded into a separator.
    const rest = (request.raw.url ?? '').split('?')[0]!.slice(CONSOLE_PATH.length);
    if (rest === '') return serve(request, reply, 'index.html');
    const segments = releaseSegments(rest);
    if (segments === null) return notFound(reply, 'No such console file.');
    return serve(request, reply, segments.join('/'));
  });
}
