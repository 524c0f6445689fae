import { joinUrl } from '../core/url/urlSafety.js';
import type { Pin, SwDeps, SwState } from './state.js';
import { pinClient, pinsOf } from './pins.js';
import { loadBuildFile } from './loadBuildFile.js';
import { switchToFallback } from './switchToFallback.js';
import { report } from './report.js';
import { buildsOf } from './buildsOf.js';
import { isShell } from './isShell.js';
import { pruneShell } from './pruneShell.js';

/** The parts of a FetchEvent the logic reads; tests pass plain objects. */
export interface FetchLike {
  request: Request;
  clientId: string;
  resultingClientId?: string;
}

/**
 * The whole fetch decision: a promise of the answer, or undefined when the request is not Finch's and
 * must go to the network untouched (no `respondWith` at all).
 * @example const answer = handleFetch(event, state, deps); if (answer) event.respondWith(answer);
 */
export function handleFetch(event: FetchLike, state: SwState, deps: SwDeps): Promise<Response> | undefined {
  const { request } = event;
  const { config } = state;
  if (state.off || request.method !== 'GET') return undefined;
  const url = new URL(request.url);
  const own = url.origin === config.policy.origin;
  const navigate = request.mode === 'navigate';
  // The page starting here keeps the manifest current now, whatever later manifests say (mixed versions).
  if (own && navigate && event.resultingClientId) pinClient(state, deps, event.resultingClientId);
  if (isShell(config, url)) return networkFirst(state, deps, request, url.origin + url.pathname);
  // Never a product's build for a navigation; Range requests are media, not versioned code (opaque, partial and media responses).
  if (navigate || request.headers.has('range')) return undefined;
  if (!own || !url.pathname.startsWith(config.assetPrefix)) return serveDirect(event, state, deps, url.origin + url.pathname);
  const rest = url.pathname.slice(config.assetPrefix.length);
  const slash = rest.indexOf('/');
  const product = rest.slice(0, slash);
  const path = rest.slice(slash + 1);
  const pin = slash > 0 ? pinsOf(state, deps, event.clientId)[product] : undefined;
  // No entry: the host's stable build deployed at the virtual path answers (docs/virtual-urls.md).
  if (!pin) return undefined;
  try {
    joinUrl(pin.baseUrl, path, config.policy);
  } catch {
    // Refused (unsafe URLs): the request goes to the network unchanged, where it can reach no other build.
    report(state, deps, pin, product, 'load-error', request.url, 'worker: unsafe-url');
    return undefined;
  }
  return serveFile(state, deps, event.clientId, product, path, pin, wantsCode(request, path));
}

function wantsCode(request: Request, path: string): boolean {
  return /^(script|style|worker|sharedworker)$/.test(request.destination) || /\.(m?js|css)$/.test(path);
}

/**
 * `{baseUrl}{file}` asked for by its real URL (a page that chose before the worker controlled it, the
 * SDK's fallback path, their lazy chunks): the same immutable copy, cache first, so it works offline too.
 * Nothing is rewritten; a network failure goes to the network as the page asked, so the worker never
 * makes a direct load fail that would work without it. Other failures are refused as for virtual URLs.
 */
function serveDirect(event: FetchLike, state: SwState, deps: SwDeps, file: string): Promise<Response> | undefined {
  for (const build of buildsOf(state.pins.get(event.clientId), state.manifest?.products)) {
    const base = new URL(build.baseUrl, state.config.policy.origin);
    // A build at a site's root cannot be told from the host's own URLs (its API, its pages).
    if (base.pathname !== '/' && file.startsWith(base.href)) {
      const path = file.slice(base.href.length);
      return loadBuildFile(state, deps, file, build.integrity[path], wantsCode(event.request, path)).then((got) =>
        got instanceof Response ? got : (got.response ?? (got.reason === 'network' ? deps.fetch(event.request) : Response.error())),
      );
    }
  }
  return undefined;
}

async function serveFile(
  state: SwState,
  deps: SwDeps,
  clientId: string,
  product: string,
  path: string,
  first: Pin,
  wantsCode: boolean,
): Promise<Response> {
  let pin = first;
  // Bounded: the gray build, its fallback, and one switch made by another request meanwhile.
  for (let round = 0; round < 3; round++) {
    let url: string;
    try {
      url = new URL(joinUrl(pin.baseUrl, path, state.config.policy), state.config.policy.origin).href;
    } catch {
      return Response.error();
    }
    const got = await loadBuildFile(state, deps, url, pin.integrity[path], wantsCode);
    // The page moved to another build while this file loaded: serve that build's file, never a mix.
    const now = state.pins.get(clientId)?.[product];
    if (now && now.resourceId !== pin.resourceId) {
      pin = now;
      continue;
    }
    if (got instanceof Response) return got;
    if (!pin.fallback) return got.response ?? Response.error();
    switchToFallback(state, deps, clientId, product, pin, got.reason, url);
    pin = pin.fallback;
  }
  return Response.error();
}

/**
 * The host's shell files: the network when there is one, else the last copy (offline repeat visits).
 * Files under a shell prefix are cached here on their way through, the oldest pruned past a bound.
 */
async function networkFirst(state: SwState, deps: SwDeps, request: Request, key: string): Promise<Response> {
  const cache = await deps.caches.open(state.config.shellCache);
  try {
    const response = await deps.fetch(request);
    if (response.status === 200 && response.type === 'basic') {
      await cache
        .put(key, response.clone())
        // Only a file under a prefix can push their count past the bound; an exact file never does.
        .then(() => (state.config.shellFiles.includes(new URL(key).pathname) ? undefined : pruneShell(state.config, cache)))
        .catch(() => {});
    }
    return response;
  } catch {
    return (await cache.match(key)) ?? Response.error();
  }
}
