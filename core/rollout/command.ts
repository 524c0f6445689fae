/**
 * An operator's command to a rollout (`POST /rollouts/{id}/pause|resume|abort|advance`): the transition
 * it makes, or `illegal-transition` (409) when the rollout's state does not allow it. Commands override
 * the automatic step: `advance` moves on without waiting for the hold, the guard or the check.
 */
import { FinchError } from '../FinchError.js';
import { checkRollout } from './checkRollout.js';
import type { Rollout, RolloutState, Transition } from './Rollout.js';
import { abort, advanceOrPromote, describeStage, pause, resume } from './transitions.js';

export type RolloutCommand = 'pause' | 'resume' | 'abort' | 'advance';

/** The commands each state accepts: the console offers only these buttons. */
export const COMMANDS: Readonly<Record<RolloutState, readonly RolloutCommand[]>> = {
  running: ['pause', 'abort', 'advance'],
  paused: ['resume', 'abort', 'advance'],
  completed: [],
  aborted: [],
  'rolled-back': [],
};

const ALL: readonly RolloutCommand[] = ['pause', 'resume', 'abort', 'advance'];

/**
 * The transition `cmd` makes of `rollout` at `now` (epoch ms, the database clock). `by` names who asked,
 * as audit actors read (`user:alice`, `token:3`). `advance` from the last stage promotes the build to
 * full; `advance` and `resume` start the stage's hold at `now`.
 * @example command(rollout, 'pause', now, 'user:alice') // { kind: 'pause', to: { state: 'paused', … }, … }
 */
export function command(rollout: Rollout, cmd: RolloutCommand, now: number, by = 'an operator'): Transition {
  if (!ALL.includes(cmd)) throw new FinchError('invalid-input', `Unknown rollout command ${JSON.stringify(cmd)}: use one of ${ALL.join(', ')}.`, { field: 'command' });
  checkRollout(rollout, now);
  const allowed = COMMANDS[rollout.state];
  if (!allowed.includes(cmd)) {
    const fix = allowed.length === 0 ? 'it has ended; start a new rollout instead' : `it accepts ${allowed.join(', ')}`;
    throw new FinchError('illegal-transition', `Failed to ${cmd} the rollout: it is ${rollout.state}, so ${fix}.`, { from: rollout.state, command: cmd, allowed: [...allowed] });
  }
  const here = describeStage(rollout.plan, rollout.stageIndex);
  switch (cmd) {
    case 'pause':
      return pause(rollout, `Paused by ${by} at ${here}.`, null);
    case 'resume':
      return resume(rollout, now, `Resumed by ${by} at ${here}; its hold and guard window start again.`);
    case 'abort':
      return abort(rollout, `Aborted by ${by} at ${here}: every user is on the stable build again.`);
    case 'advance':
      return advanceOrPromote(rollout, now, `Advanced by ${by} from ${here}, without waiting for its hold, guard or check.`, null);
  }
}
