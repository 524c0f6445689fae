/** Whether a request names the build already stored under its version, compared as JSON values. */
import { FinchError } from '../../core/index.js';
import type { Resource } from '../store/resources.js';

/** Order-insensitive for object keys: jsonb does not keep the order they were sent in. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** What a registration may say about a build's content. */
export interface BuildContent {
  baseUrl?: string;
  files?: string[];
  integrity?: Record<string, string>;
  dependencies?: string[];
}

/**
 * The stored build when the fields the request named equal its own; otherwise `conflict`: builds are
 * immutable, so another content needs another version.
 */
export function sameOrConflict(existing: Resource, body: BuildContent): Resource {
  const differs =
    (body.baseUrl !== undefined && body.baseUrl !== existing.baseUrl) ||
    (body.files !== undefined && !sameJson(body.files, existing.files)) ||
    (body.integrity !== undefined && !sameJson(body.integrity, existing.integrity)) ||
    (body.dependencies !== undefined && !sameJson(body.dependencies, existing.dependencies));
  if (differs) {
    throw new FinchError('conflict', `Failed to register ${existing.product} ${existing.version}: that version exists (resource ${existing.id}) with other content. Publish a new version.`, { resourceId: existing.id });
  }
  return existing;
}
