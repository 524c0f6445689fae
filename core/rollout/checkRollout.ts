/** The sanity check of a rollout row before any decision is taken from it. */
import { FinchError } from '../FinchError.js';
import { stageCount } from './planStages.js';
import { ENDED_STATES } from './Rollout.js';
import type { Rollout, RolloutState } from './Rollout.js';

const STATES: readonly RolloutState[] = ['running', 'paused', ...ENDED_STATES];

/**
 * Throws `invalid-input` for a row no plan could have produced (an unknown state, a stage past the
 * plan) or a time that is not epoch milliseconds.
 */
export function checkRollout(r: Rollout, now: number): void {
  if (!Number.isSafeInteger(now)) throw new FinchError('invalid-input', `The time must be epoch milliseconds, not ${String(now)}.`, { field: 'now' });
  if (!STATES.includes(r.state)) throw new FinchError('invalid-input', `Unknown rollout state ${JSON.stringify(r.state)}: expected one of ${STATES.join(', ')}.`, { field: 'state' });
  const n = stageCount(r.plan);
  if (!Number.isSafeInteger(r.stageIndex) || r.stageIndex < 0 || r.stageIndex >= n) {
    throw new FinchError('invalid-input', `The rollout is at stage ${r.stageIndex}, but its plan has stages 0 to ${n - 1}.`, { field: 'stageIndex', limit: n - 1 });
  }
  if (!Number.isSafeInteger(r.stageStartedAt)) throw new FinchError('invalid-input', 'The rollout\'s stageStartedAt must be epoch milliseconds.', { field: 'stageStartedAt' });
}

