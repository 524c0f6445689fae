/** An operator's pause, resume, abort or advance of a rollout: core's `command`, written at once. */
import { command, type RolloutCommand } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import type { AuditActor } from '../store/audit.js';
import { databaseNow, getRollout, type RolloutRow } from '../store/rollouts.js';
import { applyTransition } from './applyTransition.js';

/** `illegal-transition` when the rollout's state does not accept `cmd`; `not-found` for no such rollout. */
export async function commandRollout(deps: Pick<ServerDeps, 'change'>, id: number, cmd: RolloutCommand, by: AuditActor): Promise<RolloutRow> {
  return deps.change(async (q) => {
    // Locked: the engine's compare-and-set then waits for this write and finds the row changed.
    const row = await getRollout(q, id, true);
    const t = command(row, cmd, await databaseNow(q), by.actor);
    await applyTransition(q, row, t, null, by);
    return getRollout(q, id);
  });
}
