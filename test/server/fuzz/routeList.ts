/**
 * Every route of a built app, read from `app.printRoutes()`, so a route added later is fuzzed without
 * anyone listing it. The tree prints one node a line, four characters of indent per level:
 * `│   └── /:id (GET, HEAD, PATCH)`.
 */
import type { FastifyInstance } from 'fastify';

export interface RouteInfo {
  method: string;
  /** The pattern, as registered: `/api/v1/products/:name`. */
  url: string;
}

const LINE = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/;

export function listRoutes(app: FastifyInstance): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const depth = m[1]!.length / 4;
    const url = (depth === 0 ? '' : prefixes[depth - 1] ?? '') + m[2]!;
    prefixes[depth] = url;
    prefixes.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter((x) => x !== '')) routes.push({ method, url });
  }
  return routes;
}

/** The `:name` parameters of a pattern, in order. */
export function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}
