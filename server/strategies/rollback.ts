/** Rolling a product back: every gray strategy off, and the full strategy back to the one it replaced. */
import type { ServerDeps } from '../deps.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { getProduct } from '../store/products.js';
import { ownerAndStatusOfResource } from '../store/resources.js';
import { currentFull, getStrategy, isStrategyOf, listStrategies, setStrategyStatus, turnGraysOff } from '../store/strategies.js';
import { publicStrategy, type PublicStrategy } from './strategyView.js';

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
    if (full !== null && full.previousFullId !== null && (await isStrategyOf(q, full.previousFullId, product.id))
      && (await ownerAndStatusOfResource(q, (await getStrategy(q, full.previousFullId)).resourceId))?.status === 'deployed') {
      await setStrategyStatus(q, full.id, 'off');
      // The restored one keeps its own previous_full_id, so a second rollback goes one step further back.
      await setStrategyStatus(q, full.previousFullId, 'full');
      turnedOff.push(full.id);
      restoredFullId = full.previousFullId;
    }
    const strategies = (await listStrategies(q, product.id)).map(publicStrategy);
    await writeAudit(q, {
      ...by, action: 'product.rollback', target: `product:${name}`, product: name,
      before, after: { turnedOff, restoredFullId, inEffect: strategies.filter((s) => s.status !== 'off') },
    });
    return { strategies, turnedOff, restoredFullId };
  });
}
