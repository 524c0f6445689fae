/**
 * Resources (immutable builds). Read by viewers; created and changed (status, config only) with a
 * `publish` token for the product. Every URL is checked against the server's policy at write time (R5).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkBaseUrl, checkDependencyUrl, checkFilePath, FinchError, type ResourceStatus, type UrlPolicy } from '../../core/index.js';
import { checkBuildBaseUrl, checkSharedScriptUrl } from '../../core/url/buildPlacement.js';
import { writeAudit } from '../audit/writeAudit.js';
import { actorName } from '../auth/Principal.js';
import { requirePublish, requireRole } from '../auth/guards.js';
import type { ServerDeps } from '../deps.js';
import { RESOURCE_SELECT, toResource, type Resource } from '../model/rows.js';
import { resourceStatus } from '../model/status.js';
import { checkInitialStatus } from '../model/statusTransitions.js';
import { ownBaseUrl, planFor, turnStrategiesOff } from '../builds/buildStatus.js';
import type { Queryable } from '../db/Db.js';
import { errorResponses, errorSchema, freeFormInput, idParam, productName, resourceSchema, resourceStatusIn, version } from './schemas.js';
import { getProduct } from './products.js';

const idParams = { type: 'object', properties: { id: idParam }, required: ['id'], additionalProperties: false } as const;
const nameParams = { type: 'object', properties: { name: productName }, required: ['name'], additionalProperties: false } as const;
const integrityValue = { type: 'string', pattern: '^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}( (sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2})*$', maxLength: 400 } as const;
const branchOrCommit = { type: ['string', 'null'], maxLength: 200 } as const;

interface CreateBody {
  product: string;
  version: string;
  baseUrl?: string;
  files?: string[];
  integrity?: Record<string, string>;
  config?: Record<string, unknown>;
  dependencies?: string[];
  status?: string | number;
  branch?: string | null;
  commit?: string | null;
}

interface PatchBody {
  status?: string | number;
  config?: Record<string, unknown>;
}

export function urlPolicy(deps: ServerDeps): UrlPolicy {
  return { origin: deps.config.publicOrigin, allowedOrigins: deps.config.assetOrigins };
}

export async function getResource(q: Queryable, id: number, lock = false): Promise<Resource> {
  const r = await q.query(`${RESOURCE_SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Resource ${id} does not exist.`);
  return toResource(row);
}

/** The product a resource id belongs to, for the publish guard; null (any publish token) when unknown. */
async function productOfResource(q: Queryable, request: FastifyRequest): Promise<string | null> {
  const id = Number((request.params as { id: string }).id);
  const r = await q.query<{ name: string }>('SELECT p.name FROM resources r JOIN products p ON p.id = r.product_id WHERE r.id = $1', [id]);
  return r.rows[0]?.name ?? null;
}

/**
 * Every URL and file name of a new build: first that each is safe (`unsafe-url`), then that the URLs
 * point where this product may (`forbidden-url`). Admins are held to the same places as publish
 * tokens: the rule guards what browsers load, whoever registers it, and an asset origin covers
 * hosting elsewhere.
 */
function checkContent(body: CreateBody, policy: UrlPolicy): void {
  if (body.baseUrl !== undefined) checkBaseUrl(body.baseUrl, policy);
  const files = body.files ?? [];
  for (const f of files) checkFilePath(f);
  if (new Set(files).size !== files.length) throw new FinchError('invalid-input', 'Invalid resource: "files" lists a file twice.');
  // Integrity may name files beyond `files`: lazy chunks and assets the worker checks and pre-caches.
  for (const name of Object.keys(body.integrity ?? {})) checkFilePath(name);
  for (const d of body.dependencies ?? []) checkDependencyUrl(d, policy);
  if (body.baseUrl !== undefined) checkBuildBaseUrl(body.product, body.baseUrl, policy);
  for (const d of body.dependencies ?? []) checkSharedScriptUrl(d, policy);
}

/** Order-insensitive for object keys: jsonb does not keep the order they were sent in. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export async function resourceRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  app.get<{ Params: { name: string } }>('/products/:name/resources', {
    onRequest: requireRole('viewer'),
    schema: {
      tags: ['resources'],
      summary: 'List the builds of a product, newest first (seed: getResourcesByProjectId)',
      params: nameParams,
      response: { 200: { type: 'object', properties: { resources: { type: 'array', items: resourceSchema } }, required: ['resources'] }, ...errorResponses },
    },
  }, async (request) => {
    const product = await getProduct(deps.db, request.params.name);
    const r = await deps.db.query(`${RESOURCE_SELECT} WHERE r.product_id = $1 ORDER BY r.id DESC`, [product.id]);
    return { resources: r.rows.map(toResource) };
  });

  app.get<{ Params: { id: string } }>('/resources/:id', {
    onRequest: requireRole('viewer'),
    schema: { tags: ['resources'], summary: 'Read a build (seed: getResourcesById)', params: idParams, response: { 200: resourceSchema, ...errorResponses } },
  }, async (request) => getResource(deps.db, Number(request.params.id)));

  app.post<{ Body: CreateBody }>('/resources', {
    preHandler: requirePublish((request) => (request.body as CreateBody).product),
    schema: {
      tags: ['resources'],
      summary: 'Register a build (seed: createResource). Without baseUrl it is hosted here after PUT /resources/{id}/files',
      body: {
        type: 'object',
        properties: {
          product: productName,
          version,
          baseUrl: { type: 'string', maxLength: 2048 },
          files: { type: 'array', items: { type: 'string', maxLength: 1024 }, maxItems: 1000 },
          integrity: { type: 'object', additionalProperties: integrityValue, maxProperties: 1000 },
          config: { ...freeFormInput, maxProperties: 200 },
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
    const body = request.body;
    checkContent(body, urlPolicy(deps));
    const status = body.status === undefined ? 'built' : resourceStatus(body.status);
    const hasFiles = (body.files ?? []).length > 0;
    checkInitialStatus(status, { hostedHere: body.baseUrl === undefined, hasFiles });
    // Same product+version again: the same content is an idempotent 200, other content a 409 (R19).
    const existing = await deps.db.query(`${RESOURCE_SELECT} WHERE p.name = $1 AND r.version = $2`, [body.product, body.version]);
    if (existing.rows[0] !== undefined) return reply.code(200).send(sameOrConflict(toResource(existing.rows[0]), body));

    const result = await deps.change(async (q) => {
      const product = await getProduct(q, body.product, true);
      const again = await q.query(`${RESOURCE_SELECT} WHERE r.product_id = $1 AND r.version = $2`, [product.id, body.version]);
      if (again.rows[0] !== undefined) return { created: false, resource: sameOrConflict(toResource(again.rows[0]), body) };
      const idRow = await q.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('resources', 'id'))::int AS id`);
      const id = Number(idRow.rows[0]?.id);
      const baseUrl = body.baseUrl ?? ownBaseUrl(body.product, id);
      // A baseUrl naming this build's own folder is hosted here too: its files come by upload.
      checkInitialStatus(status, { hostedHere: baseUrl === ownBaseUrl(body.product, id), hasFiles });
      await q.query(
        `INSERT INTO resources (id, product_id, version, status, base_url, files, integrity, config, dependencies, branch, "commit")
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11)`,
        [id, product.id, body.version, status, baseUrl, JSON.stringify(body.files ?? []), JSON.stringify(body.integrity ?? {}),
          JSON.stringify(body.config ?? {}), JSON.stringify(body.dependencies ?? []), body.branch ?? null, body.commit ?? null],
      );
      const resource = await getResource(q, id);
      await writeAudit(q, { actor: actorName(request.principal), action: 'resource.create', target: `resource:${id}`, product: body.product, after: resource, requestId: request.id });
      return { created: true, resource };
    });
    return reply.code(result.created ? 201 : 200).send(result.resource);
  });

  app.patch<{ Params: { id: string }; Body: PatchBody }>('/resources/:id', {
    onRequest: requirePublish((request) => productOfResource(deps.db, request)),
    schema: {
      tags: ['resources'],
      summary: 'Change a build\'s status or config (seed: updateResource); its files never change',
      params: idParams,
      body: {
        type: 'object',
        properties: { status: resourceStatusIn, config: { ...freeFormInput, maxProperties: 200 } },
        additionalProperties: false,
        minProperties: 1,
      },
      response: { 200: resourceSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const id = Number(request.params.id);
    const body = request.body;
    const wanted = body.status === undefined ? null : resourceStatus(body.status);
    // The same status (and config) again changes nothing: 200 with no write, no audit row, no new revision.
    const current = await getResource(deps.db, id);
    if (isNoChange(current, wanted, body.config)) return current;
    return deps.change(async (q) => {
      // Product first, as strategy writes lock it: no strategy starts serving the build meanwhile.
      await getProduct(q, current.product, true);
      const before = await getResource(q, id, true);
      const status = wanted ?? before.status;
      const plan = await planFor(q, before, status, 'update');
      if (!plan.changes && isNoChange(before, wanted, body.config)) return before;
      await q.query(
        `UPDATE resources SET status = $2, config = COALESCE($3::jsonb, config), updated_at = now() WHERE id = $1`,
        [id, status, body.config === undefined ? null : JSON.stringify(body.config)],
      );
      const turnedOff = await turnStrategiesOff(q, plan.turnOff);
      const after = await getResource(q, id);
      await writeAudit(q, {
        actor: actorName(request.principal),
        action: 'resource.update',
        target: `resource:${id}`,
        product: before.product,
        before,
        after: turnedOff.length > 0 ? { ...after, strategiesTurnedOff: turnedOff } : after,
        requestId: request.id,
      });
      return after;
    });
  });
}

function isNoChange(r: Resource, status: ResourceStatus | null, config: Record<string, unknown> | undefined): boolean {
  return (status === null || status === r.status) && (config === undefined || sameJson(config, r.config));
}

/** The fields the request named must equal the stored build's; otherwise it is another build with the same version. */
function sameOrConflict(existing: Resource, body: CreateBody): Resource {
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
