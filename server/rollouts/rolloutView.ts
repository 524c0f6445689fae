/** A rollout as the API shows it. */
import { COMMANDS, stageCount } from '../../core/index.js';
import type { RolloutInfo } from '../../core/apiTypes.js';
import type { RolloutRow } from '../store/rollouts.js';

/** The API's shape, shared with its readers (core/apiTypes.ts). */
export type PublicRollout = RolloutInfo;

export function publicRollout(r: RolloutRow): PublicRollout {
  return {
    id: r.id,
    product: r.product,
    resourceId: r.resourceId,
    strategyId: r.strategyId,
    state: r.state,
    stageIndex: r.stageIndex,
    stageCount: stageCount(r.plan),
    stageStartedAt: new Date(r.stageStartedAt).toISOString(),
    plan: r.plan,
    priority: r.priority,
    decision: { reason: r.reason, figures: r.figures, at: r.decidedAt },
    commands: [...COMMANDS[r.state]],
    version: r.version,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
