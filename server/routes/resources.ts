/**
 * Resources (immutable builds). Read by viewers; created and changed (status, config only) with a
 * `publish` token for the product. Every URL is checked against the server's policy at write time
 * (unsafe URLs, docs/failures.md).
 */
import type { FastifyInstance } from 'fastify';
import { changeBuild, type BuildChange } from '../builds/changeBuild.js';
import { registerBuild, type NewBuild } from '../builds/registerBuild.js';
import type { ServerDeps } from '../deps.js';
import { auditActor } from '../http/auditActor.js';
import { requirePublish, requireRole } from '../http/guards.js';
import { listRoute } from '../http/listRoute.js';
import { publishTokenOfResource } from '../http/publishGuards.js';
import { getProduct } from '../store/products.js';
import { getResource, listResources } from '../store/resources.js';
import { errorResponses, errorSchema, freeFormInput, idParams, nameParams, productName, resourceSchema, resourceStatusIn, version } from './schemas.js';

const integrityValue = { type: 'string', pattern: '^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}( (sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2})*$', maxLength: 400 } as const;
const branchOrCommit = { type: ['string', 'null'], maxLength: 200 } as const;
const config = { ...freeFormInput, maxProperties: 200 } as const;

export async function resourceRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  listRoute<{ name: string }>(app, {
    url: '/products/:name/resources', guard: requireRole('viewer'), tag: 'resources', summary: 'List the builds of a product, newest first',
    key: 'resources', item: resourceSchema, params: nameParams,
    list: async (request) => listResources(deps.db, (await getProduct(deps.db, request.params.name)).id),
  });

  app.get<{ Params: { id: string } }>('/resources/:id', {
    onRequest: requireRole('viewer'),
    schema: { tags: ['resources'], summary: 'Read a build', params: idParams, response: { 200: resourceSchema, ...errorResponses } },
  }, async (request) => getResource(deps.db, Number(request.params.id)));

  app.post<{ Body: NewBuild }>('/resources', {
    preHandler: requirePublish((request) => (request.body as NewBuild).product),
    schema: {
      tags: ['resources'],
      summary: 'Register a build. Without baseUrl it is hosted here after PUT /resources/{id}/files',
      body: {
        type: 'object',
        properties: {
          product: productName,
          version,
          baseUrl: { type: 'string', maxLength: 2048 },
          files: { type: 'array', items: { type: 'string', maxLength: 1024 }, maxItems: 1000 },
          integrity: { type: 'object', additionalProperties: integrityValue, maxProperties: 1000 },
          config,
          dependencies: { type: 'array', items: { type: 'string', maxLength: 2048 }, maxItems: 50 },
          status: resourceStatusIn,
          branch: branchOrCommit,
          commit: branchOrCommit,
        },
        required: ['product', 'version'],
        additionalProperties: false,
      },
      response: { 200: resourceSchema, 201: resourceSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => {
    // The same product and version again: the same content is an idempotent 200 (immutable builds).
    const { created, resource } = await registerBuild(deps, request.body, auditActor(request));
    return reply.code(created ? 201 : 200).send(resource);
  });

  app.patch<{ Params: { id: string }; Body: BuildChange }>('/resources/:id', {
    onRequest: publishTokenOfResource(deps.db),
    schema: {
      tags: ['resources'],
      summary: 'Change a build\'s status or config; its files never change',
      params: idParams,
      body: { type: 'object', properties: { status: resourceStatusIn, config }, additionalProperties: false, minProperties: 1 },
      response: { 200: resourceSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => changeBuild(deps, Number(request.params.id), request.body, auditActor(request)));
}
