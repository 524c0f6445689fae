/** The payloads of the events builds and strategies emit, from the records their changes return. */
import type { Resource } from '../store/resources.js';
import type { Strategy } from '../store/strategies.js';
import type { BuildPublished, StrategyChanged } from './events.js';

export function publishedBuild(r: Resource): BuildPublished {
  return { product: r.product, resourceId: r.id, version: r.version, baseUrl: r.baseUrl };
}

export function changedStrategy(action: 'create' | 'update', s: Strategy, retiredFullId: number | null): StrategyChanged {
  return { product: s.product, action, strategyId: s.id, status: s.status, resourceId: s.resourceId, turnedOff: retiredFullId === null ? [] : [retiredFullId] };
}

export function rolledBack(product: string, restored: Strategy | null, turnedOff: number[]): StrategyChanged {
  return {
    product, action: 'rollback', strategyId: restored?.id ?? null, status: restored === null ? null : 'full',
    resourceId: restored?.resourceId ?? null, turnedOff,
  };
}
