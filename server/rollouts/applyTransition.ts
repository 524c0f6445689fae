/**
 * Writes one transition of a rollout, whole, inside the caller's transaction: the row by compare-and-set
 * on its version, then the gray strategy's change through the strategies store (so its version, ETag,
 * audit row and webhook event are right; a rollback turns off every other gray strategy serving the
 * build too), the ranking of the product's rollouts when one ends, the
 * rollout's audit row with the reason and figures, and its webhook events. The caller bumps the revision.
 */
import { ENDED_STATES, FinchError, type Transition } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { type RolloutRow, writeRolloutDecision } from '../store/rollouts.js';
import { getStrategy, retireFull, strategiesServing, updateStrategy, type Strategy, type StrategyValues } from '../store/strategies.js';
import { checkResource } from '../strategies/strategyChecks.js';
import { publicStrategy } from '../strategies/strategyView.js';
import { changedStrategy } from '../webhooks/eventPayloads.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { rankRollouts } from './rankRollouts.js';
import { emitRolloutEvents } from './rolloutEvents.js';

/**
 * False when the row no longer has the version `row` was read with: someone else wrote first, and this
 * decision is dropped (nothing of it is written). Throws `conflict` when the gray strategy was turned
 * off outside the rollout and the transition would serve the build again.
 */
export async function applyTransition(q: Queryable, row: RolloutRow, t: Transition, figures: unknown, by: AuditActor): Promise<boolean> {
  const written = await writeRolloutDecision(q, row.id, row.version, { position: t.to, reason: t.reason, figures });
  if (!written) return false;
  if (t.strategy !== null && row.strategyId !== null) {
    const product = await getProduct(q, row.product, true);
    const before = await getStrategy(q, row.strategyId);
    if (t.strategy.status !== 'off' && before.status === 'off') {
      throw new FinchError('conflict', `Failed to ${t.kind} rollout ${row.id}: its gray strategy ${before.id} was turned off outside the rollout (its build failed, or an operator). Abort the rollout and start a new one.`, { rolloutId: row.id, strategyId: before.id, strategyOff: true });
    }
    const values: StrategyValues = { ...before, status: t.strategy.status };
    let retired: number | null = null;
    if (t.strategy.status === 'gray') {
      values.rule = t.strategy.rule;
      values.salt = t.strategy.salt;
    } else if (t.strategy.status === 'full') {
      await checkResource(q, row.resourceId, product.id, product.name, 'full');
      retired = await retireFull(q, product.id, before.id);
      values.previousFullId = retired ?? before.previousFullId;
    }
    await writeStrategy(q, row, t, before, values, retired, by);
    if (t.kind === 'rollback') {
      // The guard judged the build, not the audience: no other gray strategy keeps serving it either.
      for (const other of await strategiesServing(q, row.resourceId)) {
        if (other.status !== 'gray' || other.id === before.id) continue;
        const gray = await getStrategy(q, other.id);
        await writeStrategy(q, row, t, gray, { ...gray, status: 'off' }, null, by);
      }
    }
  }
  if (ENDED_STATES.includes(t.to.state)) {
    await getProduct(q, row.product, true);
    await rankRollouts(q, row.productId, by);
  }
  await writeAudit(q, {
    ...by, action: `rollout.${t.kind}`, target: `rollout:${row.id}`, product: row.product,
    before: { state: t.from.state, stageIndex: t.from.stageIndex },
    after: { state: t.to.state, stageIndex: t.to.stageIndex, reason: t.reason, figures },
  });
  await emitRolloutEvents(q, row, t, figures);
  return true;
}

/** One strategy write of a transition, with its audit row (naming the rollout) and its webhook event. */
async function writeStrategy(q: Queryable, row: RolloutRow, t: Transition, before: Strategy, values: StrategyValues, retired: number | null, by: AuditActor): Promise<void> {
  if (!(await updateStrategy(q, before.id, before.version, values))) {
    // Every strategy write holds the product lock taken above, so this is a write that skipped it.
    throw new FinchError('conflict', `Failed to ${t.kind} rollout ${row.id}: strategy ${before.id} changed while it was being written. Try again.`, { rolloutId: row.id, strategyId: before.id });
  }
  const after = await getStrategy(q, before.id);
  await writeAudit(q, {
    ...by, action: 'strategy.update', target: `strategy:${before.id}`, product: row.product,
    before: publicStrategy(before), after: { ...publicStrategy(after), retiredFullId: retired, rollout: row.id },
  });
  await emitEvent(q, 'strategy.changed', changedStrategy('update', after, retired));
}
