/** Database rows ↔ the API's JSON, and the SELECTs that produce them. */
import type { ResourceRow, ResourceStatus, StrategyStatus, Rule } from '../../core/index.js';

export interface Product {
  id: number;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

/** A resource as the API shows it: what the resolver needs, plus provenance and times. */
export interface Resource extends ResourceRow {
  branch: string | null;
  commit: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Strategy {
  id: number;
  product: string;
  productId: number;
  resourceId: number;
  status: StrategyStatus;
  priority: number;
  rule: Rule | null;
  salt: string | null;
  startsAt: string | null;
  endsAt: string | null;
  version: number;
  previousFullId: number | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

export const PRODUCT_SELECT = 'SELECT id, name, description, created_at, updated_at FROM products';

export function toProduct(r: Record<string, unknown>): Product {
  return {
    id: Number(r['id']),
    name: String(r['name']),
    description: String(r['description'] ?? ''),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

export const RESOURCE_SELECT = `SELECT r.id, p.name AS product, r.version, r.status, r.base_url, r.files, r.integrity,
  r.config, r.dependencies, r.branch, r."commit", r.created_at, r.updated_at
  FROM resources r JOIN products p ON p.id = r.product_id`;

export function toResource(r: Record<string, unknown>): Resource {
  return {
    id: Number(r['id']),
    product: String(r['product']),
    version: String(r['version']),
    status: r['status'] as ResourceStatus,
    baseUrl: String(r['base_url']),
    files: r['files'] as string[],
    integrity: r['integrity'] as Record<string, string>,
    config: r['config'] as Record<string, unknown>,
    dependencies: r['dependencies'] as string[],
    branch: (r['branch'] as string | null) ?? null,
    commit: (r['commit'] as string | null) ?? null,
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

export const STRATEGY_SELECT = `SELECT s.id, p.name AS product, s.product_id, s.resource_id, s.status, s.priority, s.rule,
  s.salt, s.starts_at, s.ends_at, s.version, s.previous_full_id, s.created_at, s.updated_at
  FROM strategies s JOIN products p ON p.id = s.product_id`;

export function toStrategy(r: Record<string, unknown>): Strategy {
  return {
    id: Number(r['id']),
    product: String(r['product']),
    productId: Number(r['product_id']),
    resourceId: Number(r['resource_id']),
    status: r['status'] as StrategyStatus,
    priority: Number(r['priority']),
    rule: (r['rule'] as Rule | null) ?? null,
    salt: (r['salt'] as string | null) ?? null,
    startsAt: isoOrNull(r['starts_at']),
    endsAt: isoOrNull(r['ends_at']),
    version: Number(r['version']),
    previousFullId: r['previous_full_id'] === null || r['previous_full_id'] === undefined ? null : Number(r['previous_full_id']),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

/** The strategy as the API shows it (no internal product id). */
export function publicStrategy(s: Strategy): Omit<Strategy, 'productId'> {
  const { productId: _omit, ...rest } = s;
  return rest;
}

/** Strong ETag of one strategy version. */
export function strategyEtag(s: { id: number; version: number }): string {
  return `"s${s.id}-v${s.version}"`;
}
