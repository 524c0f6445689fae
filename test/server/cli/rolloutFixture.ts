/** A rollout as GET /api/v1/rollouts/{id} answers it, for the `finch rollout` tests without a server. */
import type { RolloutInfo } from '../../../core/apiTypes.js';

/** 2025-03-01 12:00:00 UTC: the fixture's stage starts here; tests give `now` relative to it. */
export const T0 = Date.parse('2025-03-01T12:00:00.000Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Rollout 7 of shop, resource 42, running at stage 2 of 3 (1%, 10% with a check, 50%) since T0. */
export function aRollout(over: Partial<RolloutInfo> = {}): RolloutInfo {
  return {
    id: 7,
    product: 'shop',
    resourceId: 42,
    strategyId: 9,
    state: 'running',
    stageIndex: 1,
    stageCount: 3,
    stageStartedAt: iso(T0),
    plan: {
      product: 'shop',
      resourceId: 42,
      stages: [
        { percent: 1, holdSeconds: 600, check: null },
        { percent: 10, holdSeconds: 1800, check: { url: 'https://ci.example/smoke/shop', timeoutSeconds: 10 } },
        { percent: 50, holdSeconds: 3600, check: null },
      ],
      guard: { minExposures: 200, maxFallbackRate: 0.02, maxErrorRate: 0.05, compareToStable: true, tolerance: 0.01 },
      onBreach: 'rollback',
      priority: 0,
      salt: 'rollout-42',
    },
    priority: 0,
    decision: { reason: 'Advanced to stage 2 of 3 (10%).', figures: null, at: iso(T0) },
    commands: ['pause', 'abort', 'advance'],
    version: 3,
    createdBy: 'token:1',
    createdAt: iso(T0 - 600_000),
    updatedAt: iso(T0),
    ...over,
  };
}
