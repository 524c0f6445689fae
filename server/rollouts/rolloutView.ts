/** A rollout as the API shows it. */
import { COMMANDS, stageCount, type RolloutCommand, type RolloutPlan, type RolloutState } from '../../core/index.js';
import type { RolloutRow } from '../store/rollouts.js';

export interface PublicRollout {
  id: number;
  product: string;
  resourceId: number;
  strategyId: number | null;
  state: RolloutState;
  /** From 0. */
  stageIndex: number;
  stageCount: number;
  stageStartedAt: string;
  plan: RolloutPlan;
  priority: number;
  /** The last decision, by the engine or an operator, with the figures it rested on. */
  decision: { reason: string; figures: unknown; at: string };
  /** The commands its state accepts now. */
  commands: RolloutCommand[];
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

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
