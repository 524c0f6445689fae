/** Plans the rollout tests share, built through validatePlan so every one is a plan the engine can meet. */
import { validatePlan } from '../../../core/index.js';
import type { RolloutPlan } from '../../../core/index.js';

export const GUARD = { minExposures: 100, maxFallbackRate: 0.02, maxErrorRate: 0.05, compareToStable: false };

/** Three percent stages of `holdSeconds` each, guarded unless `guard` is null. */
export function percentPlan(over: Record<string, unknown> = {}): RolloutPlan {
  return validatePlan({
    product: 'shop',
    resourceId: 7,
    stages: [
      { percent: 1, holdSeconds: 60 },
      { percent: 10, holdSeconds: 60 },
      { percent: 50, holdSeconds: 60 },
    ],
    guard: GUARD,
    onBreach: 'rollback',
    ...over,
  });
}

/** Five targets, two per batch, one batch per stage: stages of 2, 4 and 5 targets. */
export function batchPlan(over: Record<string, unknown> = {}): RolloutPlan {
  return validatePlan({
    product: 'shop',
    resourceId: 8,
    stages: {
      batches: {
        combine: 2,
        schedule: 1,
        targets: [
          { users: ['alice', 'bob'] },
          { attribute: { attr: 'group', op: 'eq', value: 'beta' } },
          { users: ['carol'] },
          { attribute: { attr: 'header.x-region', op: 'in', values: ['eu-west', 'eu-north'] } },
          { users: ['dave', 'erin'] },
        ],
      },
      holdSeconds: 30,
    },
    guard: null,
    ...over,
  });
}
