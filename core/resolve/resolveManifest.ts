/** Resolution of CONTRACT.md §4 against a compiled snapshot: no I/O, no allocation beyond the answer. */
import type { Manifest, ManifestEntry } from '../manifest.js';
import type { RequestContext } from '../rules/Rule.js';
import type { Candidate, Snapshot } from './compileSnapshot.js';

function inWindow(c: Candidate, now: number): boolean {
  return now >= c.from && now < c.until;
}

/**
 * The entry one request gets for `product` at `now` (epoch ms): the best matching gray strategy in its
 * window, else the full one in its window, else null. A gray answer carries the full build in effect as
 * `fallback` when that is another resource. Entries are shared and frozen: copy before changing.
 */
export function resolveProduct(snapshot: Snapshot, product: string, ctx: RequestContext, now: number): ManifestEntry | null {
  const plan = snapshot.products.get(product);
  if (!plan) return null;
  let full = -1;
  for (let i = 0; i < plan.fulls.length; i++) {
    if (inWindow(plan.fulls[i] as Candidate, now)) {
      full = i;
      break;
    }
  }
  const hits = ctx.userId === null ? undefined : plan.byUser.get(ctx.userId);
  let h = 0;
  for (let i = 0; i < plan.grays.length; i++) {
    const g = plan.grays[i] as Candidate;
    if (!inWindow(g, now)) continue;
    let matches: boolean;
    if (g.byUser) {
      // `hits` is ascending, like `i`: walk it alongside.
      while (hits !== undefined && h < hits.length && (hits[h] as number) < i) h++;
      matches = hits !== undefined && hits[h] === i;
    } else {
      matches = g.match(ctx);
    }
    if (matches) return full < 0 ? g.alone : (g.withFull[full] as ManifestEntry);
  }
  return full < 0 ? null : (plan.fulls[full] as Candidate).alone;
}

/**
 * The manifest for one request: every asked product that resolves, in the order asked; `userId` is the
 * context's. Unknown products are left out, as are repeats.
 */
export function resolveManifest(snapshot: Snapshot, ctx: RequestContext, products: readonly string[], now: number): Manifest {
  const out: Record<string, ManifestEntry> = {};
  for (const name of products) {
    // snapshot.products only holds PRODUCT_NAME keys, so `name` can never be "__proto__" here.
    const e = resolveProduct(snapshot, name, ctx, now);
    if (e) out[name] = e;
  }
  return {
    schema: 1,
    userId: ctx.userId,
    revision: snapshot.revision,
    ttlSeconds: snapshot.ttlSeconds,
    serviceWorker: { enabled: snapshot.serviceWorkerEnabled },
    products: out,
  };
}
