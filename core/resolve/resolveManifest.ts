/** Resolution (docs/rules.md) against a compiled snapshot: no I/O, no allocation beyond the answer. */
import type { Manifest, ManifestEntry } from '../manifest.js';
import type { RequestContext } from '../rules/Rule.js';
import type { Candidate, Snapshot } from './compileSnapshot.js';
import { userRecord } from './userIndex.js';

function inWindow(c: Candidate, now: number): boolean {
  return now >= c.from && now < c.until;
}

/**
 * The entry one request gets for `product` at `now` (epoch ms): the best matching gray strategy in its
 * window, else the full one in its window, else null. A gray answer carries the full build in effect as
 * `fallback` when that is another resource. Entries are shared and frozen: copy before changing.
 *
 * Plain user lists are answered by one probe of the snapshot's user index (memoized per user, so a
 * request's other products cost no probe); the other gray rules run only when they rank above the best
 * list hit in its window, since nothing below it could win.
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
  const grays = plan.grays;
  // The best list hit, as an ordinal into `grays`; grays.length when none.
  let best = grays.length;
  if (ctx.userId !== null) {
    const records = snapshot.users.records;
    const at = userRecord(snapshot.users, ctx.userId);
    if (at >= 0) {
      const end = at + 1 + 2 * (records[at] as number);
      // Pairs are sorted by product, then ordinal: the first in its window is this product's best.
      for (let k = at + 1; k < end; k += 2) {
        const p = records[k] as number;
        if (p < plan.index) continue;
        if (p > plan.index) break;
        const o = records[k + 1] as number;
        if (inWindow(grays[o] as Candidate, now)) {
          best = o;
          break;
        }
      }
    }
  }
  const evaluated = plan.evaluated;
  for (let k = 0; k < evaluated.length; k++) {
    const o = evaluated[k] as number;
    if (o >= best) break;
    const g = grays[o] as Candidate;
    if (inWindow(g, now) && g.match(ctx)) {
      best = o;
      break;
    }
  }
  if (best < grays.length) {
    const g = grays[best] as Candidate;
    return full < 0 ? g.alone : (g.withFull[full] as ManifestEntry);
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
