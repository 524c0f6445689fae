/**
 * The webhook events a rollout transition queues, in the transition's own transaction: sent if and
 * only if the transition committed, so each is sent once however many processes run the engine.
 */
import type { Transition } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import type { RolloutRow } from '../store/rollouts.js';
import { emitEvent } from '../webhooks/emitEvent.js';
import type { RolloutEvent } from '../webhooks/events.js';

export async function emitRolloutEvents(q: Queryable, row: RolloutRow, t: Transition, figures: unknown): Promise<void> {
  const event: RolloutEvent = { product: row.product, rolloutId: row.id, resourceId: row.resourceId, stageIndex: t.to.stageIndex, reason: t.reason };
  if (figures !== null && typeof figures === 'object') event.figures = figures as Record<string, unknown>;
  // A pause or rollback with figures is the guard's: a breach. Without, an operator or a failed check.
  if (figures !== null && (t.kind === 'pause' || t.kind === 'rollback')) await emitEvent(q, 'rollout.guard-breached', event);
  if (t.kind === 'advance') await emitEvent(q, 'rollout.stage-advanced', event);
  if (t.kind === 'promote') await emitEvent(q, 'rollout.finished', event);
  if (t.kind === 'rollback') await emitEvent(q, 'rollout.rolled-back', event);
}
