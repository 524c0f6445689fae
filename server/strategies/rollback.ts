/** Rolling a product back: every gray strategy off, and the full strategy back to the one it replaced. */
import type { ServerDeps } from '../deps.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { ownerAndStatusOfResource } from '../store/resources.js';
import { currentFull, getStrategy, listStrategies, setStrategyStatus, turnGraysOff } from '../store/strategies.js';
import { unservable } from './strategyChecks.js';
import { publicStrategy, type PublicStrategy } from './strategyView.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import { rolledBack } from '../webhooks/eventPayloads.js';

export interface Rollback {
  strategies: PublicStrategy[];
  turnedOff: number[];
  restoredFullId: number | null;
}

export function rollbackProduct(deps: Pick<ServerDeps, 'change'>, name: string, by: AuditActor): Promise<Rollback> {
  return deps.change(async (q) => {
    const product = await getProduct(q, name, true);
    const before = (await listStrategies(q, product.id, { inEffect: true })).map(publicStrategy);
    const turnedOff = await turnGraysOff(q, product.id);
    let restoredFullId: number | null = null;
    const full = await currentFull(q, product.id);
    // With no earlier full, or one whose build can no longer be served (it failed since), the current one
    // stays: rolling back must not leave the product with nothing.
    // previous_full_id references strategies, so the row is there; it must still be this product's.
    const previous = full?.previousFullId != null ? await getStrategy(q, full.previousFullId) : null;
    const build = previous?.productId === product.id ? await ownerAndStatusOfResource(q, previous.resourceId) : null;
    if (full !== null && previous !== null && build !== null && unservable(build.status, 'full') === null) {
      await setStrategyStatus(q, full.id, 'off');
      // The restored one keeps its own previous_full_id, so a second rollback goes one step further back.
      await setStrategyStatus(q, previous.id, 'full');
      turnedOff.push(full.id);
      restoredFullId = previous.id;
    }
    const strategies = (await listStrategies(q, product.id)).map(publicStrategy);
    await writeAudit(q, {
      ...by, action: 'product.rollback', target: `product:${name}`, product: name,
      before, after: { turnedOff, restoredFullId, inEffect: strategies.filter((s) => s.status !== 'off') },
    });
    await emitEvent(q, 'strategy.changed', rolledBack(name, restoredFullId === null ? null : previous, turnedOff));
    return { strategies, turnedOff, restoredFullId };
  });
}
