/**
 * A rollout as the engine stores it, and the transitions the pure functions hand back for it to write.
 * A transition names the position it starts from, so the engine can write it with compare-and-set:
 * update the row only if it still holds `from`, and a second process deciding the same step changes
 * nothing.
 */
import type { Rule } from '../rules/Rule.js';
import type { GuardFigures } from './judgeGuard.js';
import type { RolloutPlan } from './RolloutPlan.js';

/**
 *   running ⇄ paused ─► aborted
 *      │         └────► rolled-back (a breach while paused with onBreach: rollback)
 *      ├─► completed (promoted), rolled-back, aborted
 */
export type RolloutState = 'running' | 'paused' | 'completed' | 'aborted' | 'rolled-back';

/** The states a rollout never leaves. */
export const ENDED_STATES: readonly RolloutState[] = ['completed', 'aborted', 'rolled-back'];

/** Where a rollout stands. Ended rollouts keep the stage they ended at. */
export interface RolloutPosition {
  state: RolloutState;
  /** From 0. */
  stageIndex: number;
  /** Epoch milliseconds, from the database clock: when this stage (or its resumption) began. */
  stageStartedAt: number;
}

export interface Rollout extends RolloutPosition {
  plan: RolloutPlan;
}

/** What the rollout's gray strategy must become; null leaves it as it is. */
export type StrategyChange =
  | { status: 'gray'; rule: Rule; salt: string }
  /** The build goes full; the full build it replaces stays as its fallback. */
  | { status: 'full' }
  | { status: 'off' };

export type TransitionKind = 'advance' | 'promote' | 'pause' | 'resume' | 'rollback' | 'abort';

/** One change to write, whole, in one transaction with its audit row. */
export interface Transition {
  kind: TransitionKind;
  /** The position the row must still hold for the write to apply. */
  from: RolloutPosition;
  to: RolloutPosition;
  strategy: StrategyChange | null;
  /** A sentence for the rollout row, the audit log and webhooks. */
  reason: string;
  /** The guard's figures when a judgement caused this transition, shown beside it. */
  figures: GuardFigures | null;
}

/** Nothing to write now. */
export interface Hold {
  kind: 'wait';
  reason: string;
  /** Epoch ms when the stage's hold ends, if that is what is awaited; null otherwise. */
  until: number | null;
  /** The stage's check must be run and its outcome passed to `nextStep`. */
  needsCheck: boolean;
}

/** What the engine learned from calling a stage's check URL. */
export interface CheckOutcome {
  ok: boolean;
  /** What answered, for the reason: "503 Service Unavailable", "timed out after 10 s". */
  detail: string;
}
