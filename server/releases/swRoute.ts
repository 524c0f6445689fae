import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors/errorHandler.js';
import { packageDistDir } from './packageDist.js';
import { sendScript } from './sendScript.js';

/**
 * The worker served when `FINCH_SW=off` (the kill switch, docs/failures.md). Browsers keep a registered worker whose script 404s, so
 * the off switch is a worker that installs at once, deletes Finch's caches and unregisters itself. It
 * has no fetch handler: while it still controls a page, every request goes to the network.
 */
export const KILL_SWITCH_WORKER = `// Finch service worker: switched off on the server (FINCH_SW=off).
self.addEventListener('install', () => { self.skipWaiting(); });
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('finch-')).map((n) => caches.delete(n)));
    await self.registration.unregister();
  })());
});
`;

/** `dist/finch-sw.js` of the server package (see packageDistDir). */
export function defaultWorkerFile(): string {
  return path.join(packageDistDir(), 'finch-sw.js');
}

export interface SwRouteOptions {
  /** Mirrors FINCH_SW: false serves the kill-switch worker. */
  enabled: boolean;
  /** @default dist/finch-sw.js of this package */
  workerFile?: string;
}

/**
 * `GET /finch-sw.js`, `no-cache` so every navigation revalidates and a new build's worker takes over
 * (a stuck worker, docs/failures.md); `Service-Worker-Allowed: /` so a copy served under a path may still control the whole origin.
 * Read on every request: a rebuild is picked up without a restart, and the file is small.
 */
export async function swRoute(app: FastifyInstance, opts: SwRouteOptions): Promise<void> {
  const file = opts.workerFile ?? defaultWorkerFile();
  app.get('/finch-sw.js', { schema: { hide: true }, config: { auth: false } }, async (request, reply) => {
    let body: Buffer;
    if (opts.enabled) {
      try {
        body = await readFile(file);
      } catch {
        return sendError(reply, 404, 'not-found', 'Failed to serve the service worker: dist/finch-sw.js is missing. Run `npm run build`.');
      }
    } else {
      body = Buffer.from(KILL_SWITCH_WORKER);
    }
    reply.header('Service-Worker-Allowed', '/');
    return sendScript(request, reply, body);
  });
}
