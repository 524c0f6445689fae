/** A strategy as the API shows it, and the ETag of one version of it. */
import type { Strategy } from '../store/strategies.js';

export type PublicStrategy = Omit<Strategy, 'productId'>;

/** The strategy without its internal product id. */
export function publicStrategy(s: Strategy): PublicStrategy {
  const { productId: _omit, ...rest } = s;
  return rest;
}

/** Strong ETag of one strategy version: `"s{id}-v{version}"`. */
export function strategyEtag(s: { id: number; version: number }): string {
  return `"s${s.id}-v${s.version}"`;
}

/** The versions an If-Match header accepts for strategy `id` (`any` for `*`); null when it is missing. */
export interface IfMatch {
  any: boolean;
  versions: ReadonlySet<number>;
}

/** If-Match → the versions it accepts. Weak tags never match: If-Match compares strongly. */
export function parseIfMatch(header: string | undefined, id: number): IfMatch | null {
  if (header === undefined || header.trim() === '') return null;
  const versions = new Set<number>();
  let any = false;
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*') any = true;
    const m = /^"s(\d+)-v(\d+)"$/.exec(tag);
    if (m !== null && Number(m[1]) === id) versions.add(Number(m[2]));
  }
  return { any, versions };
}
