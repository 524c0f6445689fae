// The demo host's own files, served by the control plane's Fastify app itself: the worker needs the
// host page, the SDK and the control plane on one origin (a worker controls only its own origin), and
// registering a few routes on the app is simpler than a second server behind a proxy.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = new URL('./public/', import.meta.url);

/**
 * path → [file, content type]. The HTML and host code, with `/finch.js` (served by the control plane
 * itself), are the "shell" the worker keeps for offline use.
 */
const FILES = {
  '/': [new URL('index.html', PUBLIC_DIR), 'text/html; charset=utf-8'],
  '/index.html': [new URL('index.html', PUBLIC_DIR), 'text/html; charset=utf-8'],
  '/host.js': [new URL('host.js', PUBLIC_DIR), 'text/javascript; charset=utf-8'],
  '/host.css': [new URL('host.css', PUBLIC_DIR), 'text/css; charset=utf-8'],
};

/** Adds the host page's routes to a Fastify app before it listens. */
export function addHostRoutes(app) {
  for (const [route, [file, type]] of Object.entries(FILES)) {
    app.get(route, { schema: { hide: true }, config: { auth: false } }, async (_request, reply) => {
      let body;
      try {
        body = await readFile(file);
      } catch {
        reply.code(404).header('content-type', 'application/json; charset=utf-8');
        return { error: { code: 'not-found', message: `Failed to serve ${route}: ${fileURLToPath(file)} is missing. Run \`npm run build\`.` } };
      }
      // no-cache: a changed demo (or SDK build) shows on the next load; the worker keeps its own copy offline.
      reply.header('content-type', type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      return body;
    });
  }
}
