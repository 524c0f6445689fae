/**
 * The order of a product's rollouts when their audiences overlap. The resolver gives a user the
 * matching gray strategy of highest priority and breaks ties by the latest update, and a rollout's
 * strategy is updated at every stage, so equal priorities would hand users back and forth as stages
 * advance. `rank` gives every live rollout a strategy priority of its own instead.
 */
import { FinchError } from '../FinchError.js';
import { ROLLOUT_LIMITS } from './RolloutPlan.js';

/** A rollout whose gray strategy is live (running or paused). */
export interface RankInput {
  id: number;
  /** The plan's priority, −999 to 999. */
  priority: number;
  /** Epoch ms; ties go to the lower id. */
  createdAt: number;
}

export interface Ranked {
  id: number;
  /** The priority its gray strategy must carry. */
  strategyPriority: number;
}

/**
 * A rollout's priority p takes strategy priorities p × 1000 − 1 down to p × 1000 − 100: below a
 * hand-made strategy at p × 1000, which is a deliberate pin (testers, a customer on a fixed build).
 */
const SPAN = 1000;

/**
 * The live rollouts of one product, first to last, with their strategy priorities: higher rollout
 * priority first, then the earlier created, so users already in a rollout stay with it when a newer one
 * of the same priority starts. The engine writes the whole answer whenever a rollout starts or ends.
 * @example rank([{ id: 1, priority: 0, createdAt: 5 }, { id: 2, priority: 0, createdAt: 9 }]) // strategyPriority −1, −2
 */
export function rank(rollouts: readonly RankInput[]): Ranked[] {
  if (rollouts.length > ROLLOUT_LIMITS.activePerProduct) {
    throw new FinchError('invalid-input', `A product can have at most ${ROLLOUT_LIMITS.activePerProduct} live rollouts; end some first.`, { field: 'rollouts', limit: ROLLOUT_LIMITS.activePerProduct });
  }
  for (const r of rollouts) {
    if (!Number.isSafeInteger(r.priority) || Math.abs(r.priority) > ROLLOUT_LIMITS.priority) {
      throw new FinchError('invalid-input', `Rollout ${r.id} has priority ${String(r.priority)}: it must be an integer from −${ROLLOUT_LIMITS.priority} to ${ROLLOUT_LIMITS.priority}.`, { field: 'priority', limit: ROLLOUT_LIMITS.priority });
    }
  }
  const sorted = [...rollouts].sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt || a.id - b.id);
  let tie = 0;
  return sorted.map((r, i) => {
    tie = i > 0 && sorted[i - 1]!.priority === r.priority ? tie + 1 : 0;
    return { id: r.id, strategyPriority: r.priority * SPAN - 1 - tie };
  });
}
