// Forwards a request of a test site to another loopback server, as a host's gateway forwards /api/v1 and
// /releases/ to the control plane: the page then sees one origin, so the worker can serve builds to it.
import { request } from 'node:http';
import type { Handler } from './staticServer.js';

/**
 * A handler that sends the request on to `target()` (like `http://127.0.0.1:4000`) with its method,
 * headers and body, and streams the answer back. A target that does not answer is a 502.
 * @example site.prefixRoutes.set('/api/v1/', proxyTo(() => controlPlane.url));
 */
export function proxyTo(target: () => string): Handler {
  return (req, res, url) =>
    new Promise<void>((resolve) => {
      const to = new URL(url.pathname + url.search, target());
      const upstream = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('end', () => resolve());
        answer.once('error', () => {
          res.destroy();
          resolve();
        });
      });
      upstream.once('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(`proxy to ${to.origin} failed: ${error.message}`);
        resolve();
      });
      req.pipe(upstream);
    });
}
