/** Which build a rollout's users go back to: the one its guard compared with, else the product's full build. */
import { expect, test } from 'vitest';
import type { ProductState, Strategy } from '../../console/model.js';
import { stableResourceId } from '../../console/pages/rolloutBuilds.js';

const strategy = (id: number, resourceId: number, status: Strategy['status'], previousFullId: number | null = null) =>
  ({ id, resourceId, status, previousFullId }) as Strategy;
const state = (...strategies: Strategy[]) => ({ strategies }) as ProductState;
const rollout = (figures: unknown = null) => ({ resourceId: 9, decision: { reason: '', figures, at: '' } });
const judged = (stable: number) => ({ gray: { resourceId: 9, exposures: 1, fallbacks: 0, errors: 0, fallbackRate: 0, errorRate: 0 }, stable: { resourceId: stable, exposures: 1, fallbacks: 0, errors: 0, fallbackRate: 0, errorRate: 0 } });

test.each([
  ['the product\'s full build', rollout(), state(strategy(1, 3, 'full'), strategy(2, 9, 'gray')), 3],
  ['the build the guard compared with, even after the full build changed', rollout(judged(4)), state(strategy(1, 3, 'full')), 4],
  ['once the rollout made its build full: the full build it replaced', rollout(), state(strategy(1, 3, 'off'), strategy(2, 9, 'full', 1)), 3],
  ['no full build', rollout(), state(strategy(2, 9, 'gray')), null],
  ['its own build full with nothing before it', rollout(), state(strategy(2, 9, 'full')), null],
])('%s', (_name, r, s, expected) => {
  expect(stableResourceId(r, s)).toBe(expected);
});
