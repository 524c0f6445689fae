/** The first row of a rollout and what its gray strategy starts as. */
import type { RolloutPosition, StrategyChange } from './Rollout.js';
import type { RolloutPlan } from './RolloutPlan.js';
import { stageRule } from './stageRule.js';
import { describeStage } from './transitions.js';

export interface RolloutStart {
  position: RolloutPosition;
  strategy: Extract<StrategyChange, { status: 'gray' }>;
  reason: string;
}

/**
 * Where a validated `plan` starts at `now` (epoch ms, the database clock): running at stage 0, its hold
 * beginning, its gray strategy carrying the first stage's rule.
 */
export function startRollout(plan: RolloutPlan, now: number): RolloutStart {
  return {
    position: { state: 'running', stageIndex: 0, stageStartedAt: now },
    strategy: { status: 'gray', ...stageRule(plan, 0) },
    reason: `Started at ${describeStage(plan, 0)}.`,
  };
}
