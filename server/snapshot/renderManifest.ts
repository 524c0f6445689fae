/**
 * getConsoleVersion's body, built from the snapshot with no I/O. Each chosen entry is serialized once
 * per snapshot and reused (its JSON depends only on the strategy and the fallback, never on the user),
 * so a request costs the resolver plus string concatenation.
 */
import { createHash } from 'node:crypto';
import { resolveProduct, type RequestContext } from '../../core/index.js';
import type { LoadedSnapshot } from './SnapshotStore.js';

export interface RenderedManifest {
  body: string;
  /** Strong ETag: same revision, user and chosen entries ⇒ same bytes. */
  etag: string;
}

export function renderManifest(
  loaded: LoadedSnapshot,
  ctx: RequestContext,
  products: readonly string[],
  now: number,
  settings: { ttlSeconds: number; serviceWorkerEnabled: boolean },
): RenderedManifest {
  const parts: string[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const product of products) {
    if (seen.has(product)) continue;
    seen.add(product);
    const entry = resolveProduct(loaded.snapshot, product, ctx, now);
    if (entry === null) continue;
    const key = `${product}:${entry.strategyId}:${entry.fallback?.resourceId ?? ''}`;
    let fragment = loaded.fragments.get(key);
    if (fragment === undefined) {
      fragment = `${JSON.stringify(product)}:${JSON.stringify(entry)}`;
      loaded.fragments.set(key, fragment);
    }
    parts.push(fragment);
    keys.push(key);
  }
  const userId = JSON.stringify(ctx.userId);
  const body =
    `{"schema":1,"userId":${userId},"revision":${loaded.revision},"ttlSeconds":${settings.ttlSeconds},` +
    `"serviceWorker":{"enabled":${settings.serviceWorkerEnabled}},"products":{${parts.join(',')}}}`;
  const digest = createHash('sha1').update(`${userId}\n${keys.join('\n')}`).digest('base64url').slice(0, 16);
  return { body, etag: `"${loaded.revision}-${digest}"` };
}
