/** Statuses as the API accepts them: names, or the numbers and words of the legacy CI calls. */
import { RESOURCE_STATUSES, STRATEGY_STATUSES, type ResourceStatus, type StrategyStatus } from '../../core/index.js';

/** A status name, or its number, also as text: the legacy calls send `"status": "2"`. */
export function resourceStatus(input: string | number): ResourceStatus {
  if (typeof input === 'string' && /^[0-3]$/.test(input)) return resourceStatus(Number(input));
  if (typeof input === 'number') return RESOURCE_STATUSES[input] ?? 'built';
  return input as ResourceStatus;
}

const LEGACY_STRATEGY: Record<string, StrategyStatus> = { default: 'off', failure: 'gray', success: 'full' };

export function strategyStatus(input: string | number): StrategyStatus {
  if (typeof input === 'number') return STRATEGY_STATUSES[input] ?? 'off';
  return LEGACY_STRATEGY[input] ?? (input as StrategyStatus);
}
