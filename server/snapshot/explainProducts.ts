/**
 * Who gets what: for one (simulated) user, the build each product would serve, from the same snapshot
 * and the same resolver getConsoleVersion answers with, so the console never guesses differently.
 */
import { resolveProduct, type RequestContext } from '../../core/index.js';
import type { LoadedSnapshot } from './SnapshotStore.js';

export interface ExplainedBuild {
  resourceId: number;
  version: string;
}

export interface ExplainedEntry extends ExplainedBuild {
  strategyId: number;
  status: 'gray' | 'full';
  /** The full build a gray user falls back on, when it is another build. */
  fallback?: ExplainedBuild;
}

export interface Explanation {
  revision: number;
  /** Product → its entry, or null when it serves this user nothing. */
  products: Record<string, ExplainedEntry | null>;
}

/** `products`: the names to explain (unknown ones are left out); every product when omitted. */
export function explainProducts(loaded: LoadedSnapshot, ctx: RequestContext, products: readonly string[] | undefined, now: number): Explanation {
  const { snapshot } = loaded;
  const names = products ?? [...snapshot.products.keys()].sort();
  const out: Record<string, ExplainedEntry | null> = {};
  for (const name of names) {
    // snapshot.products only holds product names, so `name` can never be "__proto__" past this.
    if (!snapshot.products.has(name)) continue;
    const e = resolveProduct(snapshot, name, ctx, now);
    if (e === null) {
      out[name] = null;
      continue;
    }
    const entry: ExplainedEntry = { resourceId: e.resourceId, version: e.version, strategyId: e.strategyId, status: e.status };
    if (e.fallback !== undefined) entry.fallback = { resourceId: e.fallback.resourceId, version: e.fallback.version };
    out[name] = entry;
  }
  return { revision: loaded.revision, products: out };
}
