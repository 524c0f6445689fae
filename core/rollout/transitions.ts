/**
 * The transitions a rollout can take, built in one place so that the automatic step (`nextStep`) and
 * the operator's commands (`command`) write the same rows and strategy changes for the same move.
 */
import { planStage, stageCount } from './planStages.js';
import type { GuardFigures } from './judgeGuard.js';
import type { Rollout, RolloutPosition, Transition } from './Rollout.js';
import type { RolloutPlan } from './RolloutPlan.js';
import { stageRule } from './stageRule.js';

type Figures = GuardFigures | null;

const position = (r: Rollout): RolloutPosition => ({ state: r.state, stageIndex: r.stageIndex, stageStartedAt: r.stageStartedAt });

/** "stage 2 of 4 (5%)" or "stage 2 of 4 (batches 1–4 of 7)", numbered from 1 as people count. */
export function describeStage(plan: RolloutPlan, index: number): string {
  const s = planStage(plan, index);
  const what = s.percent !== null ? `${s.percent}%` : `batches 1–${s.batches!.to} of ${s.batches!.of}`;
  return `stage ${index + 1} of ${stageCount(plan)} (${what})`;
}

/** On to the next stage, or full after the last one. The new stage's hold starts at `now`. */
export function advanceOrPromote(r: Rollout, now: number, why: string, figures: Figures): Transition {
  const last = r.stageIndex >= stageCount(r.plan) - 1;
  if (last) {
    return {
      kind: 'promote',
      from: position(r),
      to: { state: 'completed', stageIndex: r.stageIndex, stageStartedAt: r.stageStartedAt },
      strategy: { status: 'full' },
      reason: `${why} The build is now full for every user; the full build it replaces stays as its fallback.`,
      figures,
    };
  }
  const next = r.stageIndex + 1;
  return {
    kind: 'advance',
    from: position(r),
    to: { state: 'running', stageIndex: next, stageStartedAt: now },
    strategy: { status: 'gray', ...stageRule(r.plan, next) },
    reason: `${why} Now at ${describeStage(r.plan, next)}.`,
    figures,
  };
}

/** Stop moving; the gray build keeps the audience it has. */
export function pause(r: Rollout, why: string, figures: Figures): Transition {
  return { kind: 'pause', from: position(r), to: { ...position(r), state: 'paused' }, strategy: null, reason: why, figures };
}

/** Move again from the same stage; its hold and guard window start afresh at `now`. */
export function resume(r: Rollout, now: number, why: string): Transition {
  return { kind: 'resume', from: position(r), to: { state: 'running', stageIndex: r.stageIndex, stageStartedAt: now }, strategy: null, reason: why, figures: null };
}

/** Every user back on the stable build: the gray strategy goes off. */
export function rollback(r: Rollout, why: string, figures: Figures): Transition {
  return { kind: 'rollback', from: position(r), to: { ...position(r), state: 'rolled-back' }, strategy: { status: 'off' }, reason: why, figures };
}

/** Ended by an operator: the gray strategy goes off, so no user is left on an unwatched build. */
export function abort(r: Rollout, why: string): Transition {
  return { kind: 'abort', from: position(r), to: { ...position(r), state: 'aborted' }, strategy: { status: 'off' }, reason: why, figures: null };
}
