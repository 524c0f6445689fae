/**
 * The stages of a plan read one way, whether it lists percent steps or batches of targets. Batches
 * accumulate: stage k (from 0) makes batches 1 … (k + 1) × schedule live, each batch being `combine`
 * consecutive targets, so a user who got the build keeps it until the build goes full for everyone.
 */
import { FinchError } from '../FinchError.js';
import type { RolloutPlan, RolloutTarget, StageCheck } from './RolloutPlan.js';

/** One stage as the engine and the console see it. */
export interface PlanStage {
  index: number;
  holdSeconds: number;
  check: StageCheck | null;
  /** A percent plan's share of users; null for batches. */
  percent: number | null;
  /** A batch plan's live batches, 1-based and inclusive (`to` of `of`); null for percent steps. */
  batches: { from: 1; to: number; of: number } | null;
}

/** How many stages `plan` has; after the last one the build goes full. */
export function stageCount(plan: RolloutPlan): number {
  if (Array.isArray(plan.stages)) return plan.stages.length;
  const { combine, schedule, targets } = plan.stages.batches;
  return Math.ceil(Math.ceil(targets.length / combine) / schedule);
}

function checkIndex(plan: RolloutPlan, index: number): void {
  const n = stageCount(plan);
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new FinchError('invalid-input', `No stage ${index} in this rollout: stages run from 0 to ${n - 1}.`, { field: 'stageIndex', limit: n - 1 });
  }
}

/** Stage `index` (from 0) of `plan`; `invalid-input` past its stages. */
export function planStage(plan: RolloutPlan, index: number): PlanStage {
  checkIndex(plan, index);
  if (Array.isArray(plan.stages)) {
    const s = plan.stages[index]!;
    return { index, holdSeconds: s.holdSeconds, check: s.check, percent: s.percent, batches: null };
  }
  const { combine, schedule, targets } = plan.stages.batches;
  const of = Math.ceil(targets.length / combine);
  return { index, holdSeconds: plan.stages.holdSeconds, check: plan.stages.check, percent: null, batches: { from: 1, to: Math.min((index + 1) * schedule, of), of } };
}

/** The targets live at stage `index` of a batch plan: those of its live batches, in plan order. */
export function liveTargets(plan: RolloutPlan, index: number): RolloutTarget[] {
  checkIndex(plan, index);
  if (Array.isArray(plan.stages)) throw new FinchError('invalid-input', 'A percent rollout has no targets: read its stage percent instead.', { field: 'stages' });
  const { combine, schedule, targets } = plan.stages.batches;
  return targets.slice(0, (index + 1) * schedule * combine);
}
