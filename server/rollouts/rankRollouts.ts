/** Gives every live rollout's gray strategy the priority `rank` assigns it; run when a rollout starts or ends. */
import { rank } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { type AuditActor, writeAudit } from '../store/audit.js';
import { listLiveRollouts } from '../store/rollouts.js';
import { getStrategy, updateStrategy } from '../store/strategies.js';
import { publicStrategy } from '../strategies/strategyView.js';

/** Call with the product's row lock held (getProduct(q, name, true)). Writes only the priorities that change. */
export async function rankRollouts(q: Queryable, productId: number, by: AuditActor): Promise<void> {
  const live = await listLiveRollouts(q, productId);
  const ranked = rank(live.map((r) => ({ id: r.id, priority: r.priority, createdAt: Date.parse(r.createdAt) })));
  for (const { id, strategyPriority } of ranked) {
    const strategyId = live.find((r) => r.id === id)?.strategyId ?? null;
    if (strategyId === null) continue;
    const before = await getStrategy(q, strategyId);
    if (before.priority === strategyPriority) continue;
    await updateStrategy(q, strategyId, before.version, { ...before, priority: strategyPriority });
    const after = await getStrategy(q, strategyId);
    await writeAudit(q, { ...by, action: 'strategy.update', target: `strategy:${strategyId}`, product: before.product, before: publicStrategy(before), after: { ...publicStrategy(after), rollout: id } });
  }
}
