/**
 * Strategies: which build goes to which users. Writes need the operator role; PATCH is a
 * compare-and-set on the strategy's version (If-Match: none → 428, stale → 412, R21). A product has at
 * most one `full`: making one full turns the previous one off in the same transaction and remembers it,
 * which is what rollback goes back to.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { compileRule, FinchError, type StrategyStatus } from '../../core/index.js';
import { writeAudit } from '../audit/writeAudit.js';
import { actorName } from '../auth/Principal.js';
import { requireRole } from '../auth/guards.js';
import type { ServerDeps } from '../deps.js';
import type { Queryable } from '../db/Db.js';
import { publicStrategy, STRATEGY_SELECT, strategyEtag, toStrategy, type Strategy } from '../model/rows.js';
import { strategyStatus } from '../model/status.js';
import { getProduct } from './products.js';
import { dateTime, errorResponses, errorSchema, idParam, productName, strategySchema, strategyStatusIn } from './schemas.js';

const idParams = { type: 'object', properties: { id: idParam }, required: ['id'], additionalProperties: false } as const;
const nameParams = { type: 'object', properties: { name: productName }, required: ['name'], additionalProperties: false } as const;
const ruleSchema = { type: ['object', 'null'], description: 'Rule of CONTRACT §4; checked whole, 400 invalid-rule / rule-too-large' } as const;
const fields = {
  resourceId: { type: 'integer', minimum: 1, maximum: 2147483647 },
  status: strategyStatusIn,
  priority: { type: 'integer', minimum: -1000000, maximum: 1000000 },
  rule: ruleSchema,
  salt: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
  startsAt: { anyOf: [dateTime, { type: 'null' }] },
  endsAt: { anyOf: [dateTime, { type: 'null' }] },
} as const;

interface StrategyFields {
  resourceId?: number;
  status?: string | number;
  priority?: number;
  rule?: unknown;
  salt?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
}

interface CreateBody extends StrategyFields {
  product: string;
  resourceId: number;
}

export async function getStrategy(q: Queryable, id: number): Promise<Strategy> {
  const r = await q.query(`${STRATEGY_SELECT} WHERE s.id = $1`, [id]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('not-found', `Strategy ${id} does not exist.`);
  return toStrategy(row);
}

/** Checks a rule the way the resolver will compile it, so a stored rule always compiles. */
function checkRule(rule: unknown, salt: string | null | undefined): void {
  if (rule === null || rule === undefined) return;
  compileRule(rule, { salt: salt ?? '0' });
}

function checkWindow(startsAt: string | null, endsAt: string | null): void {
  if (startsAt !== null && endsAt !== null && Date.parse(startsAt) >= Date.parse(endsAt)) {
    throw new FinchError('invalid-input', 'Invalid strategy: "startsAt" must be before "endsAt".');
  }
}

async function checkResource(q: Queryable, resourceId: number, productId: number, product: string): Promise<void> {
  const r = await q.query<{ product_id: number }>('SELECT product_id FROM resources WHERE id = $1', [resourceId]);
  const row = r.rows[0];
  if (row === undefined) throw new FinchError('invalid-input', `Invalid strategy: resource ${resourceId} does not exist.`);
  if (Number(row.product_id) !== productId) throw new FinchError('invalid-input', `Invalid strategy: resource ${resourceId} is not a build of "${product}".`);
}

/** Turns the product's current full strategy (other than `exceptId`) off; returns its id. */
async function retireFull(q: Queryable, productId: number, exceptId: number): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `UPDATE strategies SET status = 'off', version = version + 1, updated_at = clock_timestamp()
      WHERE product_id = $1 AND status = 'full' AND id <> $2 RETURNING id`,
    [productId, exceptId],
  );
  return r.rows[0] === undefined ? null : Number(r.rows[0].id);
}

/** If-Match → the versions it accepts ('*' = any). Weak tags never match: If-Match compares strongly. */
function parseIfMatch(header: string | undefined, id: number): { any: boolean; versions: Set<number> } | null {
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

function withEtag(reply: FastifyReply, s: Strategy): Omit<Strategy, 'productId'> {
  reply.header('ETag', strategyEtag(s));
  return publicStrategy(s);
}

export async function strategyRoutes(app: FastifyInstance, opts: { deps: ServerDeps }): Promise<void> {
  const { deps } = opts;

  app.get<{ Params: { name: string } }>('/products/:name/strategies', {
    onRequest: requireRole('viewer'),
    schema: {
      tags: ['strategies'],
      summary: 'List a product\'s strategies (seed: getIngressesByProjectId)',
      params: nameParams,
      response: { 200: { type: 'object', properties: { strategies: { type: 'array', items: strategySchema } }, required: ['strategies'] }, ...errorResponses },
    },
  }, async (request) => {
    const product = await getProduct(deps.db, request.params.name);
    const r = await deps.db.query(`${STRATEGY_SELECT} WHERE s.product_id = $1 ORDER BY s.id`, [product.id]);
    return { strategies: r.rows.map((row) => publicStrategy(toStrategy(row))) };
  });

  app.get<{ Params: { id: string } }>('/strategies/:id', {
    onRequest: requireRole('viewer'),
    schema: {
      tags: ['strategies'],
      summary: 'Read a strategy with its ETag (seed: getIngressById)',
      params: idParams,
      response: { 200: strategySchema, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const s = await getStrategy(deps.db, Number(request.params.id));
    if (request.headers['if-none-match'] === strategyEtag(s)) return reply.code(304).header('ETag', strategyEtag(s)).send();
    return withEtag(reply, s);
  });

  app.post<{ Body: CreateBody }>('/strategies', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['strategies'],
      summary: 'Create a strategy (seed: createIngress)',
      body: { type: 'object', properties: { product: productName, ...fields }, required: ['product', 'resourceId'], additionalProperties: false },
      response: { 201: strategySchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const body = request.body;
    checkRule(body.rule, body.salt);
    const startsAt = body.startsAt ?? null;
    const endsAt = body.endsAt ?? null;
    checkWindow(startsAt, endsAt);
    const status: StrategyStatus = body.status === undefined ? 'off' : strategyStatus(body.status);
    const created = await deps.change(async (q) => {
      // Locking the product serializes every strategy write of one product (the one-full rule).
      const product = await getProduct(q, body.product, true);
      await checkResource(q, body.resourceId, product.id, product.name);
      const idRow = await q.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('strategies', 'id'))::int AS id`);
      const id = Number(idRow.rows[0]?.id);
      const previousFull = status === 'full' ? await retireFull(q, product.id, id) : null;
      await q.query(
        `INSERT INTO strategies (id, product_id, resource_id, status, priority, rule, salt, starts_at, ends_at, previous_full_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, clock_timestamp())`,
        [id, product.id, body.resourceId, status, body.priority ?? 0, body.rule === undefined || body.rule === null ? null : JSON.stringify(body.rule),
          body.salt ?? null, startsAt, endsAt, previousFull],
      );
      const s = await getStrategy(q, id);
      await writeAudit(q, {
        actor: actorName(request.principal), action: 'strategy.create', target: `strategy:${id}`, product: product.name,
        after: { ...publicStrategy(s), retiredFullId: previousFull }, requestId: request.id,
      });
      return s;
    });
    reply.code(201);
    return withEtag(reply, created);
  });

  app.patch<{ Params: { id: string }; Body: StrategyFields }>('/strategies/:id', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['strategies'],
      summary: 'Change a strategy (seed: updateIngress). Needs If-Match with its ETag: none → 428, stale → 412',
      params: idParams,
      headers: { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 1000 } } },
      body: { type: 'object', properties: fields, additionalProperties: false, minProperties: 1 },
      response: { 200: strategySchema, ...errorResponses, 412: errorSchema, 428: errorSchema },
    },
  }, async (request, reply) => {
    const id = Number(request.params.id);
    const ifMatch = parseIfMatch(request.headers['if-match'], id);
    if (ifMatch === null) {
      throw new FinchError('precondition-required', `Failed to change strategy ${id}: send If-Match with the ETag from GET /api/v1/strategies/${id}, so changes by others are not overwritten.`);
    }
    const body = request.body;
    const updated = await deps.change(async (q) => {
      const first = await getStrategy(q, id);
      const product = await getProduct(q, first.product, true);
      // Read again under the product lock: this is the version the compare-and-set below is against.
      const before = await getStrategy(q, id);
      if (!ifMatch.any && !ifMatch.versions.has(before.version)) {
        throw new FinchError('precondition-failed', `Failed to change strategy ${id}: it was changed since you read it (now ${strategyEtag(before)}). Read it again and reapply your change.`, { etag: strategyEtag(before) });
      }
      const status = body.status === undefined ? before.status : strategyStatus(body.status);
      const rule = body.rule === undefined ? before.rule : body.rule;
      const salt = body.salt === undefined ? before.salt : body.salt;
      const startsAt = body.startsAt === undefined ? before.startsAt : body.startsAt;
      const endsAt = body.endsAt === undefined ? before.endsAt : body.endsAt;
      const resourceId = body.resourceId ?? before.resourceId;
      if (body.rule !== undefined || body.salt !== undefined) checkRule(rule, salt);
      checkWindow(startsAt, endsAt);
      if (resourceId !== before.resourceId) await checkResource(q, resourceId, product.id, product.name);
      const retired = status === 'full' && before.status !== 'full' ? await retireFull(q, product.id, id) : null;
      const previousFullId = status === 'full' && before.status !== 'full' ? retired : before.previousFullId;
      const r = await q.query(
        `UPDATE strategies SET resource_id = $3, status = $4, priority = $5, rule = $6::jsonb, salt = $7, starts_at = $8, ends_at = $9,
                previous_full_id = $10, version = version + 1, updated_at = clock_timestamp()
          WHERE id = $1 AND version = $2`,
        [id, before.version, resourceId, status, body.priority ?? before.priority, rule === null ? null : JSON.stringify(rule), salt, startsAt, endsAt, previousFullId],
      );
      if (r.rowCount !== 1) {
        throw new FinchError('precondition-failed', `Failed to change strategy ${id}: it was changed since you read it. Read it again and reapply your change.`);
      }
      const after = await getStrategy(q, id);
      await writeAudit(q, {
        actor: actorName(request.principal), action: 'strategy.update', target: `strategy:${id}`, product: product.name,
        before: publicStrategy(before), after: { ...publicStrategy(after), retiredFullId: retired }, requestId: request.id,
      });
      return after;
    });
    return withEtag(reply, updated);
  });

  app.post<{ Params: { name: string } }>('/products/:name/rollback', {
    onRequest: requireRole('operator'),
    schema: {
      tags: ['strategies'],
      summary: 'Every gray strategy off, and the full strategy back to the one it replaced',
      params: nameParams,
      response: {
        200: {
          type: 'object',
          properties: {
            strategies: { type: 'array', items: strategySchema },
            turnedOff: { type: 'array', items: { type: 'integer' } },
            restoredFullId: { type: ['integer', 'null'] },
          },
          required: ['strategies', 'turnedOff', 'restoredFullId'],
        },
        ...errorResponses,
      },
    },
  }, async (request) => {
    const name = request.params.name;
    return deps.change(async (q) => {
      const product = await getProduct(q, name, true);
      const beforeRows = await q.query(`${STRATEGY_SELECT} WHERE s.product_id = $1 AND s.status <> 'off' ORDER BY s.id`, [product.id]);
      const before = beforeRows.rows.map((row) => publicStrategy(toStrategy(row)));
      const grays = await q.query<{ id: number }>(
        `UPDATE strategies SET status = 'off', version = version + 1, updated_at = clock_timestamp()
          WHERE product_id = $1 AND status = 'gray' RETURNING id`,
        [product.id],
      );
      const turnedOff = grays.rows.map((r) => Number(r.id));
      let restoredFullId: number | null = null;
      const full = await q.query<{ id: number; previous_full_id: number | null }>(
        `SELECT s.id, s.previous_full_id FROM strategies s
          WHERE s.product_id = $1 AND s.status = 'full'`,
        [product.id],
      );
      const current = full.rows[0];
      // With no earlier full, the current one stays: rolling back must not leave the product with nothing.
      if (current !== undefined && current.previous_full_id !== null) {
        const prev = await q.query<{ id: number }>('SELECT id FROM strategies WHERE id = $1 AND product_id = $2', [current.previous_full_id, product.id]);
        if (prev.rows[0] !== undefined) {
          await q.query(`UPDATE strategies SET status = 'off', version = version + 1, updated_at = clock_timestamp() WHERE id = $1`, [current.id]);
          // The restored one keeps its own previous_full_id, so a second rollback goes one step further back.
          await q.query(`UPDATE strategies SET status = 'full', version = version + 1, updated_at = clock_timestamp() WHERE id = $1`, [prev.rows[0].id]);
          turnedOff.push(Number(current.id));
          restoredFullId = Number(prev.rows[0].id);
        }
      }
      const all = await q.query(`${STRATEGY_SELECT} WHERE s.product_id = $1 ORDER BY s.id`, [product.id]);
      const strategies = all.rows.map((row) => publicStrategy(toStrategy(row)));
      await writeAudit(q, {
        actor: actorName(request.principal), action: 'product.rollback', target: `product:${name}`, product: name,
        before, after: { turnedOff, restoredFullId, inEffect: strategies.filter((s) => s.status !== 'off') }, requestId: request.id,
      });
      return { strategies, turnedOff, restoredFullId };
    });
  });
}
