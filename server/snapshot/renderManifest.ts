/**
 * getConsoleVersion's body, built from the snapshot with no I/O. Each chosen entry is serialized once
 * (its JSON depends only on the strategy and the fallback, never on the user) and cached against the
 * entry object, which the resolver shares for the life of its snapshot; a request costs the resolver
 * and a string concatenation. A string, not a Buffer: Node encodes a string body of this size on the
 * stack as it writes, where a Buffer per request is a malloc'ed 8 KB backing store freed only by GC.
 */
import { bucketKey, resolveProduct, type ManifestEntry, type RequestContext } from '../../core/index.js';
import type { ReportTokens } from '../reports/reportTokens.js';
import type { LoadedSnapshot } from './SnapshotStore.js';
import { asciiJson } from './asciiJson.js';

export interface RenderedManifest {
  /** ASCII only (see asciiJson), so `body.length` is its size in bytes and latin1 writes it as is. */
  body: string;
  /** Strong ETag: same revision, settings, user and chosen entries (in order) ⇒ same bytes. */
  etag: string;
}

export interface ManifestSettings {
  ttlSeconds: number;
  serviceWorkerEnabled: boolean;
  /** Signs the entries of products under a rollout for their user; null issues no tokens. */
  tokens: ReportTokens | null;
}

export type RenderManifest = (loaded: LoadedSnapshot, ctx: RequestContext, products: readonly string[], now: number) => RenderedManifest;

interface Fragment {
  product: string;
  /** `"product":{…entry…}`, and the same after a comma (one string to append, not two). */
  json: string;
  comma: string;
  /** `json` without its closing brace, for an entry that gets a report token appended. */
  open: string;
  /** Two independent 32-bit hashes of what picks the bytes (product, strategy, fallback resource). */
  h1: number;
  h2: number;
  /** The request that last used it, to answer a repeated product once. */
  mark: number;
}

/**
 * 32-bit string hashes (FNV-1a and a multiply-rotate), not cryptographic: the ETag only has to tell one
 * user's successive answers apart, never resist someone forging it, and SHA-1 per request showed up in
 * profiles. Together they give 64 bits, so a stale 304 after a change is a 2^-64 event.
 */
function hashString(text: string, h1: number, h2: number): [number, number] {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul((h2 ^ c) << 13 | (h2 ^ c) >>> 19, 0x5bd1e995) + 0x6b43a9b5;
  }
  return [h1, h2];
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The token pseudonym of the request's user (the key percent rules bucket on), or null for an anonymous request. */
function userOf(ctx: RequestContext, tokens: ReportTokens): string | null {
  const key = bucketKey(ctx);
  return key === null ? null : tokens.user(key);
}

/** A renderer for one server's settings; its fragment cache follows the snapshots' entries (weakly). */
export function createRenderManifest(settings: ManifestSettings): RenderManifest {
  const fragments = new WeakMap<ManifestEntry, Fragment>();
  // The part after userId changes only with the snapshot (revision).
  let middleFor: LoadedSnapshot | null = null;
  let middle = '';
  let requests = 0;
  const [seed1, seed2] = hashString(`${settings.ttlSeconds}:${settings.serviceWorkerEnabled}`, 0x811c9dc5, 0x9747b28c);

  function fragmentOf(product: string, entry: ManifestEntry): Fragment {
    const cached = fragments.get(entry);
    if (cached !== undefined && cached.product === product) return cached;
    const [h1, h2] = hashString(`${product}:${entry.strategyId}:${entry.fallback?.resourceId ?? ''}`, 0x811c9dc5, 0x9747b28c);
    const json = `${JSON.stringify(product)}:${asciiJson(entry)}`;
    const fragment = { product, json, comma: `,${json}`, open: json.slice(0, -1), h1, h2, mark: 0 };
    // An entry belongs to one product's plan; the product check above only guards that assumption.
    if (cached === undefined) fragments.set(entry, fragment);
    return fragment;
  }

  return (loaded, ctx, products, now) => {
    if (middleFor !== loaded) {
      middle =
        `,"revision":${loaded.revision},"ttlSeconds":${settings.ttlSeconds},` +
        `"serviceWorker":{"enabled":${settings.serviceWorkerEnabled}},"products":{`;
      middleFor = loaded;
    }
    const userId = asciiJson(ctx.userId);
    let [h1, h2] = hashString(userId, seed1, seed2);
    let body = `{"schema":1,"userId":${userId}${middle}`;
    let first = true;
    const mark = ++requests;
    // The user's token pseudonym, computed at most once per request and only for a product under a rollout.
    let user: string | null | undefined;
    for (let i = 0; i < products.length; i++) {
      const product = products[i] as string;
      const entry = resolveProduct(loaded.snapshot, product, ctx, now);
      if (entry === null) continue;
      const f = fragmentOf(product, entry);
      // A repeated product resolves to the same entry, hence fragment, again: answered once, no Set needed.
      if (f.mark === mark) continue;
      f.mark = mark;
      if (settings.tokens !== null && loaded.reportProducts.has(product) && (user ??= userOf(ctx, settings.tokens)) !== null) {
        // Per user, so never cached: the entry's JSON with `"reportToken"` as its last field.
        const token = settings.tokens.issue(product, entry.resourceId, user, now);
        body += `${first ? '' : ','}${f.open},"reportToken":"${token}"}`;
        [h1, h2] = hashString(token, h1, h2);
      } else {
        body += first ? f.json : f.comma;
      }
      first = false;
      h1 = Math.imul(h1 ^ f.h1, 0x01000193);
      h2 = Math.imul((h2 ^ f.h2) << 13 | (h2 ^ f.h2) >>> 19, 0x5bd1e995) + 0x6b43a9b5;
    }
    body += '}}';
    return { body, etag: `"${loaded.revision}-${fmix(h1).toString(36)}-${fmix(h2).toString(36)}"` };
  };
}
