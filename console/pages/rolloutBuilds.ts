// Which builds a rollout is about: its gray build, and the stable build its users go back to. Pure.
import type { RolloutInfo } from '../../core/apiTypes.js';
import { fullStrategy, type ProductState } from '../model.js';
import { readFigures } from './rolloutGuard.js';

/**
 * The stable build of a rollout: the one its last guard decision compared with, else the product's full
 * build, or, once the rollout made its own build full, the full build that one replaced. Null when the
 * product has no other full build.
 */
export function stableResourceId(rollout: Pick<RolloutInfo, 'resourceId' | 'decision'>, state: ProductState): number | null {
  const judged = readFigures(rollout.decision.figures)?.stable?.resourceId;
  if (judged !== undefined) return judged;
  const full = fullStrategy(state);
  if (full === undefined) return null;
  if (full.resourceId !== rollout.resourceId) return full.resourceId;
  const previous = full.previousFullId === null ? undefined : state.strategies.find((s) => s.id === full.previousFullId);
  return previous !== undefined && previous.resourceId !== rollout.resourceId ? previous.resourceId : null;
}
