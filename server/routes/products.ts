/** Products (micro-frontends): listed and read by viewers, written by admins. */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import { changeProduct, createProduct, removeProduct } from '../products/productChanges.js';
import { getProduct, listProducts } from '../store/products.js';
import { errorResponses, errorSchema, nameParams, productName, productSchema } from './schemas.js';

const description = { type: 'string', maxLength: 1000 } as const;

export async function productRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  listRoute(app, { url: '/products', guard: requireRole('viewer'), tag: 'products', summary: 'List products', key: 'products', item: productSchema, list: () => listProducts(deps.db) });

  app.post<{ Body: { name: string; description?: string } }>('/products', {
    onRequest: requireRole('admin'),
    schema: {
      tags: ['products'],
      summary: 'Create a product',
      body: { type: 'object', properties: { name: productName, description }, required: ['name'], additionalProperties: false },
      response: { 201: productSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => reply.code(201).send(await createProduct(deps, request.body, auditActor(request))));

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
  }, async (request) => changeProduct(deps, request.params.name, request.body, auditActor(request)));

  app.delete<{ Params: { name: string } }>('/products/:name', {
    onRequest: requireRole('admin'),
    schema: { tags: ['products'], summary: 'Delete a product with its resources and strategies', params: nameParams, response: { 204: { type: 'null' }, ...errorResponses } },
  }, async (request, reply) => {
    await removeProduct(deps, request.params.name, auditActor(request));
    return reply.code(204).send();
  });
}
