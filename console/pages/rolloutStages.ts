// Where a rollout stands, as the detail page draws it: every stage done, current, stopped or still to
// come, the audience of each, and the time left of the current stage's hold. Pure: the rollout and the
// time are arguments, so the steps on screen are tested as a table.
import type { RolloutInfo } from '../../core/apiTypes.js';
import { planStage, stageCount } from '../../core/rollout/planStages.js';
import { stageRule } from '../../core/rollout/stageRule.js';
import type { Rule } from '../../core/rules/Rule.js';

/**
 * `stopped`: the stage an aborted or rolled-back rollout ended at; `skipped`: a stage it never reached.
 * The last entry of `rolloutSteps` is the build going full, after the last stage.
 */
export type StepStatus = 'done' | 'current' | 'stopped' | 'pending' | 'skipped';

export interface StageStep {
  /** From 0. */
  index: number;
  status: StepStatus;
  /** A percent stage's share of users; null for batches. */
  percent: number | null;
  /** A batch stage's live batches (1 to `to` of `of`); null for percent steps. */
  batches: { to: number; of: number } | null;
  /** Who gets the build at this stage, as a rule (for `ruleWords`). */
  audience: Rule;
  holdSeconds: number;
  checkUrl: string | null;
}

export interface RolloutSteps {
  stages: StageStep[];
  /** After the last stage the build is full: done once the rollout completed. */
  full: StepStatus;
}

type Position = Pick<RolloutInfo, 'plan' | 'state' | 'stageIndex'>;

function statusOf(r: Position, index: number): StepStatus {
  if (r.state === 'completed' || index < r.stageIndex) return 'done';
  const ended = r.state === 'aborted' || r.state === 'rolled-back';
  if (index === r.stageIndex) return ended ? 'stopped' : 'current';
  return ended ? 'skipped' : 'pending';
}

/** Every stage of the plan with its status, then the full step. */
export function rolloutSteps(r: Position): RolloutSteps {
  const stages: StageStep[] = [];
  for (let index = 0; index < stageCount(r.plan); index++) {
    const s = planStage(r.plan, index);
    stages.push({
      index,
      status: statusOf(r, index),
      percent: s.percent,
      batches: s.batches === null ? null : { to: s.batches.to, of: s.batches.of },
      audience: stageRule(r.plan, index).rule,
      holdSeconds: s.holdSeconds,
      checkUrl: s.check?.url ?? null,
    });
  }
  const ended = r.state === 'aborted' || r.state === 'rolled-back';
  return { stages, full: r.state === 'completed' ? 'done' : ended ? 'skipped' : 'pending' };
}

/** The stage the rollout is at (or ended at), or null when its plan has no such stage. */
export function currentStep(r: Position): StageStep | null {
  return rolloutSteps(r).stages[r.stageIndex] ?? null;
}

/** The stage an `advance` would move to, or null when it would make the build full. */
export function followingStep(r: Position): StageStep | null {
  return rolloutSteps(r).stages[r.stageIndex + 1] ?? null;
}

/**
 * Milliseconds left of the current stage's hold at `now` (never below 0), or null when no hold is
 * counting down: a paused rollout's hold starts again on resume, and an ended one has none.
 */
export function holdLeftMs(r: Pick<RolloutInfo, 'plan' | 'state' | 'stageIndex' | 'stageStartedAt'>, now: number): number | null {
  if (r.state !== 'running') return null;
  const step = currentStep(r);
  const started = Date.parse(r.stageStartedAt);
  if (step === null || !Number.isFinite(started)) return null;
  return Math.max(0, started + step.holdSeconds * 1000 - now);
}
