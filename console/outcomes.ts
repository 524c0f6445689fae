// What users will get after a one-click change, worked out before the click so the confirmation can
// say it: turning a gray strategy off sends its audience to the full build; rolling back turns every
// gray off and puts the full build back to the one it replaced. Pure: reads a product's state only.
import { fullStrategy, grayStrategies, resourceById, versionOf, type ProductState, type Strategy } from './model.js';

export interface TurnOffOutcome {
  /** The version the audience falls back to, or null when the product has no full build. */
  fallbackVersion: string | null;
}

export function turnOffOutcome(state: ProductState): TurnOffOutcome {
  const full = fullStrategy(state);
  return { fallbackVersion: full ? versionOf(state, full.resourceId) : null };
}

export interface RollbackOutcome {
  /** Gray strategies that will be turned off. */
  turnedOff: Strategy[];
  /** The full build now, or null. */
  fromVersion: string | null;
  /** The full build after: the one the current full replaced, else the current one (or null). */
  toVersion: string | null;
  /** True when an earlier full build comes back. */
  restores: boolean;
}

export function rollbackOutcome(state: ProductState): RollbackOutcome {
  const full = fullStrategy(state);
  const candidate = full?.previousFullId != null ? state.strategies.find((s) => s.id === full.previousFullId) : undefined;
  // The server restores the earlier full only while its build can still be served in full.
  const previous = candidate && resourceById(state, candidate.resourceId)?.status === 'deployed' ? candidate : undefined;
  const fromVersion = full ? versionOf(state, full.resourceId) : null;
  return {
    turnedOff: grayStrategies(state),
    fromVersion,
    toVersion: previous ? versionOf(state, previous.resourceId) : fromVersion,
    restores: previous !== undefined,
  };
}
