/**
 * The automatic step of a rollout: given its row, the time and what the guard and the stage's check
 * said, the one transition to write now, or why there is none. The engine calls it on every tick; it
 * moves at most one stage per call, and only from the stage the row is at.
 */
import { FinchError } from '../FinchError.js';
import type { GuardJudgement } from './judgeGuard.js';
import { checkRollout } from './checkRollout.js';
import { planStage } from './planStages.js';
import { ENDED_STATES } from './Rollout.js';
import type { CheckOutcome, Hold, Rollout, Transition } from './Rollout.js';
import { advanceOrPromote, describeStage, pause, rollback } from './transitions.js';

const hold = (reason: string, until: number | null = null, needsCheck = false): Hold => ({ kind: 'wait', reason, until, needsCheck });

/**
 * The one transition to apply to `rollout` at `now` (epoch ms, the database clock), or a `wait`:
 * - a guard `breach` pauses or rolls back at once, hold or not (`onBreach`); while paused, only a
 *   rollback plan acts on it, since the gray build still serves its users;
 * - otherwise the stage advances (or, after the last, the build goes full) once its hold has passed,
 *   the guard has passed, and its check, if any, answered 2xx; a failed check pauses.
 * `guard` is the judgement of this stage's window, required when the plan has a guard and ignored
 * when it has none. Without `check`, a stage that has one waits with `needsCheck`.
 */
export function nextStep(rollout: Rollout, now: number, guard: GuardJudgement | null, check?: CheckOutcome): Transition | Hold {
  checkRollout(rollout, now);
  const { plan, state } = rollout;
  if (ENDED_STATES.includes(state)) return hold(`The rollout has ended: ${state}.`);
  if (plan.guard !== null && guard === null) {
    throw new FinchError('invalid-input', 'Failed to step the rollout: its plan has a guard, so the guard\'s judgement of this stage is needed.', { field: 'guard' });
  }
  const judgement = plan.guard === null ? null : guard;
  const here = describeStage(plan, rollout.stageIndex);
  if (judgement?.verdict === 'breach') {
    if (plan.onBreach === 'rollback') return rollback(rollout, `${judgement.reason} Rolled back at ${here}: every user is on the stable build again.`, judgement.figures);
    if (state === 'running') return pause(rollout, `${judgement.reason} Paused at ${here}; the gray build keeps its current users until it is resumed or aborted.`, judgement.figures);
  }
  if (state === 'paused') return hold(`Paused at ${here}: resume, advance or abort it.`);

  const stage = planStage(plan, rollout.stageIndex);
  const holdEnds = rollout.stageStartedAt + stage.holdSeconds * 1000;
  if (now < holdEnds) return hold(`Holding ${here} until its ${stage.holdSeconds} s hold has passed.`, holdEnds);
  if (judgement?.verdict === 'wait') return hold(judgement.reason);

  let why = `${here[0]!.toUpperCase()}${here.slice(1)} held ${stage.holdSeconds} s.`;
  if (judgement !== null) why += ` ${judgement.reason}`;
  if (stage.check !== null) {
    if (check === undefined) return hold(`Checking ${stage.check.url} before leaving ${here}.`, null, true);
    if (!check.ok) return pause(rollout, `The check of ${here} failed: ${stage.check.url} answered ${check.detail}, not 2xx. Paused: resume to hold the stage and check again, or advance to go on without it.`, judgement?.figures ?? null);
    why += ` The check passed: ${stage.check.url} answered ${check.detail}.`;
  }
  return advanceOrPromote(rollout, now, why, judgement?.figures ?? null);
}
