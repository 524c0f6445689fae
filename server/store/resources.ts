/** The `resources` table (builds): every SQL statement that reads or writes it. */
import { FinchError, type ResourceStatus } from '../../core/index.js';
import type { Resource } from '../../core/apiTypes.js';
import type { Queryable } from '../db/Db.js';
import { iso, nextId } from './rowValues.js';

export type { Resource };

const SELECT = `SELECT r.id, p.name AS product, r.version, r.status, r.base_url, r.files, r.integrity,
  r.config, r.dependencies, r.branch, r."commit", r.created_at, r.updated_at, rf.total_bytes
  FROM resources r JOIN products p ON p.id = r.product_id LEFT JOIN release_files rf ON rf.resource_id = r.id`;

function toResource(r: Record<string, unknown>): Resource {
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
    storedBytes: r['total_bytes'] === null || r['total_bytes'] === undefined ? null : Number(r['total_bytes']),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

/** Resource `id`; `not-found` when there is none. `lock` takes its row lock (after the product's). */
export async function getResource(q: Queryable, id: number, lock = false): Promise<Resource> {
  const r = await q.query(`${SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Resource ${id} does not exist. Create it with POST /api/v1/resources.`);
  return toResource(row);
}

/** A product's builds, newest first. */
export async function listResources(q: Queryable, productId: number): Promise<Resource[]> {
  const r = await q.query(`${SELECT} WHERE r.product_id = $1 ORDER BY r.id DESC`, [productId]);
  return r.rows.map(toResource);
}

/** The build of `product` (a name, or an id when the caller holds the product row) with `version`, if any. */
export async function findResourceByVersion(q: Queryable, product: string | number, version: string): Promise<Resource | null> {
  const where = typeof product === 'number' ? 'r.product_id = $1' : 'p.name = $1';
  const r = await q.query(`${SELECT} WHERE ${where} AND r.version = $2`, [product, version]);
  return r.rows[0] === undefined ? null : toResource(r.rows[0]);
}

/** The product a resource belongs to; null when the resource does not exist. */
export async function productNameOfResource(q: Queryable, id: number): Promise<string | null> {
  const r = await q.query<{ name: string }>('SELECT p.name FROM resources r JOIN products p ON p.id = r.product_id WHERE r.id = $1', [id]);
  return r.rows[0]?.name ?? null;
}

/** The product and status of a build, or null when there is no such build. */
export async function ownerAndStatusOfResource(q: Queryable, id: number): Promise<{ productId: number; status: ResourceStatus } | null> {
  const r = await q.query<{ product_id: number; status: ResourceStatus }>('SELECT product_id, status FROM resources WHERE id = $1', [id]);
  const row = r.rows[0];
  return row === undefined ? null : { productId: Number(row.product_id), status: row.status };
}

/** Builds some strategy that is not off serves and that are deployed: all the resolver can pick. */
export async function listServableResources(q: Queryable): Promise<Resource[]> {
  const r = await q.query(`${SELECT} WHERE r.status = 'deployed' AND r.id IN (SELECT resource_id FROM strategies WHERE status <> 'off')`);
  return r.rows.map(toResource);
}

/** A new resource's id, taken first so its own `baseUrl` can name it. */
export const nextResourceId = (q: Queryable): Promise<number> => nextId(q, 'resources');

export interface NewResource {
  id: number;
  productId: number;
  version: string;
  status: ResourceStatus;
  baseUrl: string;
  files: readonly string[];
  integrity: Record<string, string>;
  config: Record<string, unknown>;
  dependencies: readonly string[];
  branch: string | null;
  commit: string | null;
}

export async function insertResource(q: Queryable, r: NewResource): Promise<Resource> {
  await q.query(
    `INSERT INTO resources (id, product_id, version, status, base_url, files, integrity, config, dependencies, branch, "commit")
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11)`,
    [r.id, r.productId, r.version, r.status, r.baseUrl, JSON.stringify(r.files), JSON.stringify(r.integrity),
      JSON.stringify(r.config), JSON.stringify(r.dependencies), r.branch, r.commit],
  );
  return getResource(q, r.id);
}

/** Sets the status and, when given, the config; a build's files never change here. */
export async function updateResource(q: Queryable, id: number, status: ResourceStatus, config: Record<string, unknown> | undefined): Promise<Resource> {
  await q.query(
    'UPDATE resources SET status = $2, config = COALESCE($3::jsonb, config), updated_at = now() WHERE id = $1',
    [id, status, config === undefined ? null : JSON.stringify(config)],
  );
  return getResource(q, id);
}

/** Marks an uploaded build deployed with the entry files and hashes read from its archive. */
export async function deployUploadedResource(q: Queryable, id: number, files: readonly string[], integrity: Record<string, string>): Promise<Resource> {
  await q.query(
    `UPDATE resources SET files = $2::jsonb, integrity = $3::jsonb, status = 'deployed', updated_at = now() WHERE id = $1`,
    [id, JSON.stringify(files), JSON.stringify(integrity)],
  );
  return getResource(q, id);
}
