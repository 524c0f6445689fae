/**
 * Creating and changing strategies. Every write locks its product row first, which serialises the
 * product's strategy writes and so the at-most-one-full rule: making one full turns the previous one off
 * in the same transaction and remembers it, which is what rollback goes back to. A change is a
 * compare-and-set on the strategy's version, so concurrent changes never overwrite each other (lost
 * updates, docs/failures.md).
 */
import { FinchError, type StrategyStatus } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { strategyStatus } from '../model/status.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { getStrategy, insertStrategy, nextStrategyId, retireFull, updateStrategy, type Strategy } from '../store/strategies.js';
import { checkResource, checkRule, checkWindow } from './strategyChecks.js';
import { publicStrategy, strategyEtag, type IfMatch } from './strategyView.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { changedStrategy } from '../webhooks/eventPayloads.js';

type Writer = Pick<ServerDeps, 'change'>;

export interface StrategyFields {
  resourceId?: number;
  status?: string | number;
  priority?: number;
  rule?: unknown;
  salt?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
}

export interface NewStrategy extends StrategyFields {
  product: string;
  resourceId: number;
}

export async function createStrategy(deps: Writer, body: NewStrategy, by: AuditActor): Promise<Strategy> {
  checkRule(body.rule, body.salt);
  const startsAt = body.startsAt ?? null;
  const endsAt = body.endsAt ?? null;
  checkWindow(startsAt, endsAt);
  const status: StrategyStatus = body.status === undefined ? 'off' : strategyStatus(body.status);
  return deps.change(async (q) => {
    const product = await getProduct(q, body.product, true);
    await checkResource(q, body.resourceId, product.id, product.name, status);
    const id = await nextStrategyId(q);
    const previousFullId = status === 'full' ? await retireFull(q, product.id, id) : null;
    const s = await insertStrategy(q, id, product.id, {
      resourceId: body.resourceId,
      status,
      priority: body.priority ?? 0,
      rule: body.rule ?? null,
      salt: body.salt ?? null,
      startsAt,
      endsAt,
      previousFullId,
    });
    await writeAudit(q, { ...by, action: 'strategy.create', target: `strategy:${id}`, product: product.name, after: { ...publicStrategy(s), retiredFullId: previousFullId } });
    await emitEvent(q, 'strategy.changed', changedStrategy('create', s, previousFullId));
    return s;
  });
}

function stale(id: number, etag?: string): FinchError {
  return new FinchError(
    'precondition-failed',
    `Failed to change strategy ${id}: it was changed since you read it${etag === undefined ? '' : ` (now ${etag})`}. Read it again and reapply your change.`,
    etag === undefined ? undefined : { etag },
  );
}

/** Applies `body` to strategy `id` if its version is one `ifMatch` accepts; `precondition-failed` otherwise. */
export async function changeStrategy(deps: Writer, id: number, ifMatch: IfMatch, body: StrategyFields, by: AuditActor): Promise<Strategy> {
  return deps.change(async (q) => {
    const first = await getStrategy(q, id);
    const product = await getProduct(q, first.product, true);
    // Read again under the product lock: this is the version the compare-and-set below is against.
    const before = await getStrategy(q, id);
    if (!ifMatch.any && !ifMatch.versions.has(before.version)) throw stale(id, strategyEtag(before));
    const status = body.status === undefined ? before.status : strategyStatus(body.status);
    const rule = body.rule === undefined ? before.rule : body.rule;
    const salt = body.salt === undefined ? before.salt : body.salt;
    const startsAt = body.startsAt === undefined ? before.startsAt : body.startsAt;
    const endsAt = body.endsAt === undefined ? before.endsAt : body.endsAt;
    const resourceId = body.resourceId ?? before.resourceId;
    if (body.rule !== undefined || body.salt !== undefined) checkRule(rule, salt);
    checkWindow(startsAt, endsAt);
    if (resourceId !== before.resourceId || status !== before.status) await checkResource(q, resourceId, product.id, product.name, status);
    const becomesFull = status === 'full' && before.status !== 'full';
    const retired = becomesFull ? await retireFull(q, product.id, id) : null;
    const written = await updateStrategy(q, id, before.version, {
      resourceId,
      status,
      priority: body.priority ?? before.priority,
      rule,
      salt,
      startsAt,
      endsAt,
      previousFullId: becomesFull ? retired : before.previousFullId,
    });
    if (!written) throw stale(id);
    const after = await getStrategy(q, id);
    await writeAudit(q, {
      ...by, action: 'strategy.update', target: `strategy:${id}`, product: product.name,
      before: publicStrategy(before), after: { ...publicStrategy(after), retiredFullId: retired },
    });
    await emitEvent(q, 'strategy.changed', changedStrategy('update', after, retired));
    return after;
  });
}
