// A tiny static server for browser tests: node:http on 127.0.0.1, port 0, files from a directory,
// routes that override them, and the Finch worker at /finch-sw.js served no-cache.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export const DIST_WORKER = fileURLToPath(new URL('../../../dist/finch-sw.js', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Paths (with query) of every request, in order. */
  requests: string[];
  /** Exact-path handlers, checked before the files; tests add and remove them. */
  routes: Map<string, Handler>;
  /** Path-prefix handlers (like `/api/v1/` → a proxy), checked after `routes` and before the files. */
  prefixRoutes: Map<string, Handler>;
  /** The worker's bytes, read on every request (the worker-update tests change them between loads). */
  worker: () => Promise<string | Buffer>;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Directory served at `/`; `/` itself serves `index.html`. */
  root?: string;
  /** Cache-Control per path; default: immutable under `/releases/`, else no-cache. */
  cacheControl?: (path: string) => string;
}

/** Starts the server; `close()` ends every open connection too, so no test leaves a socket behind. */
export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const cacheControl =
    options.cacheControl ?? ((path: string) => (path.startsWith('/releases/') ? 'public, max-age=31536000, immutable' : 'no-cache'));
  const sockets = new Set<Socket>();
  const self: StaticServer = {
    origin: '',
    port: 0,
    requests: [],
    routes: new Map(),
    prefixRoutes: new Map(),
    worker: () => readFile(DIST_WORKER),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    self.requests.push(url.pathname + url.search);
    Promise.resolve(handle(req, res, url)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = self.routes.get(url.pathname);
    if (route) return route(req, res, url);
    for (const [prefix, handler] of self.prefixRoutes) if (url.pathname.startsWith(prefix)) return handler(req, res, url);
    if (url.pathname === '/finch-sw.js') {
      res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-cache' });
      res.end(await self.worker());
      return;
    }
    if (!options.root) return notFound(res);
    const path = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    const file = join(options.root, path);
    if (!file.startsWith(options.root + sep)) return notFound(res);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound(res);
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cacheControl(url.pathname) });
    res.end(body);
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  self.port = (server.address() as AddressInfo).port;
  self.origin = `http://127.0.0.1:${self.port}`;
  return self;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
  res.end('not found');
}
