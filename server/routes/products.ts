/** Products (micro-frontends): listed and read by viewers, written by admins. */
import type { FastifyInstance } from 'fastify';
import { FinchError } from '../../core/index.js';
import { writeAudit } from '../audit/writeAudit.js';
import { actorName } from '../auth/Principal.js';
import { requireRole } from '../auth/guards.js';
import type { ServerDeps } from '../deps.js';
import { PRODUCT_SELECT, toProduct, type Product } from '../model/rows.js';
import type { Queryable } from '../db/Db.js';
import { errorResponses, errorSchema, productName, productSchema } from './schemas.js';

const nameParams = { type: 'object', properties: { name: productName }, required: ['name'], additionalProperties: false } as const;
const description = { type: 'string', maxLength: 1000 } as const;

export async function getProduct(q: Queryable, name: string, lock = false): Promise<Product> {
  const r = await q.query(`${PRODUCT_SELECT} WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Product "${name}" does not exist. Create it with POST /api/v1/products.`);
  return toProduct(row);
}

export async function productRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  app.get('/products', {
    onRequest: requireRole('viewer'),
    schema: {
      tags: ['products'],
      summary: 'List products',
      response: { 200: { type: 'object', properties: { products: { type: 'array', items: productSchema } }, required: ['products'] }, ...errorResponses },
    },
  }, async () => {
    const r = await deps.db.query(`${PRODUCT_SELECT} ORDER BY name`);
    return { products: r.rows.map(toProduct) };
  });

  app.post<{ Body: { name: string; description?: string } }>('/products', {
    onRequest: requireRole('admin'),
    schema: {
      tags: ['products'],
      summary: 'Create a product',
      body: { type: 'object', properties: { name: productName, description }, required: ['name'], additionalProperties: false },
      response: { 201: productSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => {
    const { name, description: desc = '' } = request.body;
    const product = await deps.change(async (q) => {
      const exists = await q.query('SELECT 1 FROM products WHERE name = $1', [name]);
      if (exists.rows.length > 0) throw new FinchError('conflict', `Product "${name}" already exists.`);
      const r = await q.query(`INSERT INTO products (name, description) VALUES ($1, $2) RETURNING id, name, description, created_at, updated_at`, [name, desc]);
      const created = toProduct(r.rows[0] ?? {});
      await writeAudit(q, { actor: actorName(request.principal), action: 'product.create', target: `product:${name}`, product: name, after: created, requestId: request.id });
      return created;
    });
    return reply.code(201).send(product);
  });

  app.get<{ Params: { name: string } }>('/products/:name', {
    onRequest: requireRole('viewer'),
    schema: { tags: ['products'], summary: 'Read a product', params: nameParams, response: { 200: productSchema, ...errorResponses } },
  }, async (request) => getProduct(deps.db, request.params.name));

  app.patch<{ Params: { name: string }; Body: { description?: string } }>('/products/:name', {
    onRequest: requireRole('admin'),
    schema: {
      tags: ['products'],
      summary: 'Change a product',
      params: nameParams,
      body: { type: 'object', properties: { description }, additionalProperties: false },
      response: { 200: productSchema, ...errorResponses },
    },
  }, async (request) => {
    const { name } = request.params;
    return deps.change(async (q) => {
      const before = await getProduct(q, name, true);
      const r = await q.query(
        `UPDATE products SET description = COALESCE($2, description), updated_at = now() WHERE id = $1 RETURNING id, name, description, created_at, updated_at`,
        [before.id, request.body.description ?? null],
      );
      const after = toProduct(r.rows[0] ?? {});
      await writeAudit(q, { actor: actorName(request.principal), action: 'product.update', target: `product:${name}`, product: name, before, after, requestId: request.id });
      return after;
    });
  });

  app.delete<{ Params: { name: string } }>('/products/:name', {
    onRequest: requireRole('admin'),
    schema: { tags: ['products'], summary: 'Delete a product with its resources and strategies', params: nameParams, response: { 204: { type: 'null' }, ...errorResponses } },
  }, async (request, reply) => {
    const { name } = request.params;
    await deps.change(async (q) => {
      const before = await getProduct(q, name, true);
      const counts = await q.query<{ resources: number; strategies: number }>(
        `SELECT (SELECT count(*)::int FROM resources WHERE product_id = $1) AS resources,
                (SELECT count(*)::int FROM strategies WHERE product_id = $1) AS strategies`,
        [before.id],
      );
      await q.query('DELETE FROM products WHERE id = $1', [before.id]);
      await writeAudit(q, {
        actor: actorName(request.principal), action: 'product.delete', target: `product:${name}`, product: name,
        before: { ...before, ...counts.rows[0] }, requestId: request.id,
      });
    });
    return reply.code(204).send();
  });
}
