/** The `products` table: every SQL statement that reads or writes it. */
import { FinchError } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import type { Product } from '../../core/apiTypes.js';
import { iso } from './rowValues.js';

export type { Product };

const COLUMNS = 'id, name, description, created_at, updated_at';

function toProduct(r: Record<string, unknown>): Product {
  return {
    id: Number(r['id']),
    name: String(r['name']),
    description: String(r['description'] ?? ''),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
  };
}

/**
 * The product called `name`; `not-found` when there is none. `lock` takes its row lock, which every
 * write of its resources and strategies takes first, so those writes run one at a time per product.
 */
export async function getProduct(q: Queryable, name: string, lock = false): Promise<Product> {
  const r = await q.query(`SELECT ${COLUMNS} FROM products WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Product "${name}" does not exist. Create it with POST /api/v1/products.`);
  return toProduct(row);
}

/** The product with this numeric id, or null (the legacy CI calls name products by id). */
export async function findProductById(q: Queryable, id: number): Promise<Product | null> {
  const r = await q.query(`SELECT ${COLUMNS} FROM products WHERE id = $1`, [id]);
  return r.rows[0] === undefined ? null : toProduct(r.rows[0]);
}

export async function listProducts(q: Queryable): Promise<Product[]> {
  const r = await q.query(`SELECT ${COLUMNS} FROM products ORDER BY name`);
  return r.rows.map(toProduct);
}

/** Every product's id and name, for the snapshot. */
export async function listProductNames(q: Queryable): Promise<Array<{ id: number; name: string }>> {
  const r = await q.query<{ id: number; name: string }>('SELECT id, name FROM products ORDER BY id');
  return r.rows.map((p) => ({ id: p.id, name: p.name }));
}

/** Adds a product; `conflict` when the name is taken. */
export async function insertProduct(q: Queryable, name: string, description: string): Promise<Product> {
  const exists = await q.query('SELECT 1 FROM products WHERE name = $1', [name]);
  if (exists.rows.length > 0) throw new FinchError('conflict', `Product "${name}" already exists.`);
  const r = await q.query(`INSERT INTO products (name, description) VALUES ($1, $2) RETURNING ${COLUMNS}`, [name, description]);
  return toProduct(r.rows[0] ?? {});
}

/** Changes the description (null keeps it). */
export async function updateProduct(q: Queryable, id: number, description: string | null): Promise<Product> {
  const r = await q.query(
    `UPDATE products SET description = COALESCE($2, description), updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, description],
  );
  return toProduct(r.rows[0] ?? {});
}

/** Deletes a product with its resources and strategies (foreign keys cascade); returns how many went with it. */
export async function deleteProduct(q: Queryable, id: number): Promise<{ resources: number; strategies: number }> {
  const counts = await q.query<{ resources: number; strategies: number }>(
    `SELECT (SELECT count(*)::int FROM resources WHERE product_id = $1) AS resources,
            (SELECT count(*)::int FROM strategies WHERE product_id = $1) AS strategies`,
    [id],
  );
  await q.query('DELETE FROM products WHERE id = $1', [id]);
  return counts.rows[0] ?? { resources: 0, strategies: 0 };
}
