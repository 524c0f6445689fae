// Small fakes for the worker's seams (Angular's mock-scope idea): Cache Storage, fetch, clients, IndexedDB writes.
import type { Manifest, ManifestBuild } from '../../core/manifest.js';
import type { WorkerToPage } from '../../core/protocol.js';
import { resolveOptions } from '../../sw/options.js';
import type { FinchSwOptions } from '../../sw/options.js';
import { createState } from '../../sw/state.js';
import type { Pins, SwDeps, SwState } from '../../sw/state.js';
import { handleFetch } from '../../sw/handleFetch.js';

export const ORIGIN = 'http://app.test';

/** A Response as the network gives it: `type` is 'basic' for same-origin (Node's constructor says 'default'). */
export function net(body: BodyInit | null, init: ResponseInit = {}, type: ResponseType = 'basic'): Response {
  const response = new Response(body, { headers: { 'content-type': 'text/javascript' }, ...init });
  Object.defineProperty(response, 'type', { value: type });
  return response;
}

export class FakeCache {
  readonly entries = new Map<string, Response>();
  putError: Error | null = null;
  async match(key: RequestInfo | URL): Promise<Response | undefined> {
    return this.entries.get(url(key))?.clone();
  }
  /** As Cache Storage does, a put moves its key to the end of `keys()`. */
  async put(key: RequestInfo | URL, response: Response): Promise<void> {
    if (this.putError) throw this.putError;
    this.entries.delete(url(key));
    this.entries.set(url(key), response);
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((u) => new Request(u));
  }
  async delete(key: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(url(key));
  }
}

function url(key: RequestInfo | URL): string {
  return new URL(key instanceof Request ? key.url : String(key), ORIGIN).href;
}

export class FakeCaches {
  readonly map = new Map<string, FakeCache>();
  async open(name: string): Promise<FakeCache> {
    let cache = this.map.get(name);
    if (!cache) this.map.set(name, (cache = new FakeCache()));
    return cache;
  }
  async keys(): Promise<string[]> {
    return [...this.map.keys()];
  }
  async delete(name: string): Promise<boolean> {
    return this.map.delete(name);
  }
  async has(name: string): Promise<boolean> {
    return this.map.has(name);
  }
  async match(): Promise<undefined> {
    return undefined;
  }
}

type Route = (init?: RequestInit) => Response | Promise<Response>;

/** A worker under test: state, fake deps and what the fakes saw. */
export interface Rig {
  state: SwState;
  deps: SwDeps;
  caches: FakeCaches;
  routes: Map<string, Route>;
  fetched: string[];
  reports: Record<string, unknown>[];
  posted: { clientId: string; message: WorkerToPage }[];
  savedPins: Record<string, Pins> | null;
  savedBad: Record<string, number>;
  clients: string[];
  unregistered: number;
  /** Routes a URL (absolute or a path of ORIGIN). */
  serve(path: string, route: Route | string): void;
  /** A page's request through the worker; undefined when the worker stays out of it. */
  get(path: string, clientId: string, init?: RequestInit & { destination?: RequestDestination; mode?: RequestMode }): Promise<Response> | undefined;
  navigate(path: string, resultingClientId: string): Promise<Response> | undefined;
}

export function rig(options: FinchSwOptions = {}): Rig {
  const caches = new FakeCaches();
  const r: Rig = {
    state: createState(resolveOptions(options, ORIGIN)),
    caches,
    routes: new Map(),
    fetched: [],
    reports: [],
    posted: [],
    savedPins: null,
    savedBad: {},
    clients: ['A', 'B', 'C'],
    unregistered: 0,
    deps: {
      fetch: async (input, init) => {
        const target = new URL(input instanceof Request ? input.url : input, ORIGIN).href;
        if (target === new URL('/api/v1/reports', ORIGIN).href) {
          r.reports.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
          return net(null, { status: 202 });
        }
        r.fetched.push(target);
        const route = r.routes.get(target.replace(/\?.*/, ''));
        if (!route) return net('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
        return route(init);
      },
      caches: caches as unknown as CacheStorage,
      post: (clientId, message) => void r.posted.push({ clientId, message }),
      clientIds: async () => r.clients,
      savePins: (pins) => {
        r.savedPins = structuredClone(Object.fromEntries(pins));
      },
      saveBad: (id, at) => {
        r.savedBad[id] = at;
      },
      unregister: async () => {
        r.unregistered++;
        return true;
      },
      now: () => 1_000_000,
    },
    serve(path, route) {
      r.routes.set(new URL(path, ORIGIN).href, typeof route === 'string' ? () => net(route) : route);
    },
    get(path, clientId, init = {}) {
      const { destination, mode, ...rest } = init;
      const request = new Request(new URL(path, ORIGIN), rest);
      // Node's Request cannot be built with these; the worker only reads them.
      if (destination !== undefined) Object.defineProperty(request, 'destination', { value: destination });
      if (mode !== undefined) Object.defineProperty(request, 'mode', { value: mode });
      return handleFetch({ request, clientId }, r.state, r.deps);
    },
    navigate(path, resultingClientId) {
      const request = new Request(new URL(path, ORIGIN));
      Object.defineProperty(request, 'mode', { value: 'navigate' });
      Object.defineProperty(request, 'destination', { value: 'document' });
      return handleFetch({ request, clientId: '', resultingClientId }, r.state, r.deps);
    },
  };
  return r;
}

export function build(resourceId: number, version: string, product = 'dashboard', integrity: Record<string, string> = {}): ManifestBuild {
  return { resourceId, version, baseUrl: `/releases/${product}/${resourceId}/`, files: ['main.js'], integrity };
}

/** A manifest where `dashboard` is `main` (gray over `fallback` when given) and `header` is full 10. */
export function manifest(main: ManifestBuild, fallback?: ManifestBuild, enabled = true): Manifest {
  return {
    schema: 1,
    userId: 'alice',
    revision: main.resourceId,
    ttlSeconds: 300,
    serviceWorker: { enabled },
    products: {
      dashboard: { ...main, strategyId: 1, status: fallback ? 'gray' : 'full', config: {}, dependencies: [], ...(fallback ? { fallback } : {}) },
      header: { ...build(10, '1.0.0', 'header'), strategyId: 2, status: 'full', config: {}, dependencies: [] },
    },
  };
}

export async function text(answer: Promise<Response> | undefined): Promise<string> {
  if (!answer) throw new Error('the worker did not answer');
  return (await answer).text();
}

export async function sri(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', new TextEncoder().encode(body)));
  return 'sha384-' + Buffer.from(digest).toString('base64');
}
