/**
 * Starting a rollout: the plan checked whole, its build checked servable, and in one transaction the
 * gray strategy at stage 0, the rollout row and their audit rows, with the time from the database clock.
 */
import { FinchError, startRollout, validatePlan } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { databaseNow, getRollout, insertRollout, liveRolloutOfBuild, type RolloutRow } from '../store/rollouts.js';
import { getStrategy, insertStrategy, nextStrategyId } from '../store/strategies.js';
import { checkResource } from '../strategies/strategyChecks.js';
import { publicStrategy } from '../strategies/strategyView.js';
import { changedStrategy } from '../webhooks/eventPayloads.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { rankRollouts } from './rankRollouts.js';
import { refuseUnlistedChecks } from './stageCheck.js';

/**
 * `invalid-input` for a bad plan, `not-found` for an unknown product, `build-not-servable` for a build
 * that could not go full (failed, or not deployed yet), `conflict` when the build already has a live rollout.
 */
export async function createRollout(deps: Pick<ServerDeps, 'change' | 'config'>, body: unknown, by: AuditActor): Promise<RolloutRow> {
  const plan = validatePlan(body);
  refuseUnlistedChecks(plan, deps.config.checkOrigins);
  return deps.change(async (q) => {
    const product = await getProduct(q, plan.product, true);
    // The rollout ends with the build full, so it must be a build that can be full.
    await checkResource(q, plan.resourceId, product.id, product.name, 'full');
    const live = await liveRolloutOfBuild(q, plan.resourceId);
    if (live !== null) {
      throw new FinchError('conflict', `Failed to start a rollout of resource ${plan.resourceId}: rollout ${live} of it is still live. Pause, resume or abort that one instead.`, { rolloutId: live });
    }
    const now = await databaseNow(q);
    const start = startRollout(plan, now);
    const strategyId = await nextStrategyId(q);
    const strategy = await insertStrategy(q, strategyId, product.id, {
      resourceId: plan.resourceId, status: 'gray', priority: 0, rule: start.strategy.rule, salt: start.strategy.salt,
      startsAt: null, endsAt: null, previousFullId: null,
    });
    const row = await insertRollout(q, { productId: product.id, strategyId, plan, position: start.position, reason: start.reason, createdBy: by.actor });
    await writeAudit(q, { ...by, action: 'strategy.create', target: `strategy:${strategyId}`, product: product.name, after: { ...publicStrategy(strategy), rollout: row.id } });
    // Gives the new strategy its place among the product's live rollouts (and throws past their limit).
    await rankRollouts(q, product.id, by);
    await emitEvent(q, 'strategy.changed', changedStrategy('create', await getStrategy(q, strategyId), null));
    await writeAudit(q, { ...by, action: 'rollout.start', target: `rollout:${row.id}`, product: product.name, after: { state: row.state, stageIndex: 0, reason: start.reason, plan } });
    return getRollout(q, row.id);
  });
}
