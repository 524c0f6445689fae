// @vitest-environment happy-dom
/** The rollout pages' routes, and the nav entry they light up (Products). */
import { expect, test } from 'vitest';
import { currentNav, matchRoute } from '../../console/routes.js';

test.each([
  ['/products/dashboard/rollouts', '/products/:name/rollouts', { name: 'dashboard' }],
  ['/rollouts/12', '/rollouts/:id', { id: '12' }],
])('%s is the page %s', (path, route, params) => {
  const found = matchRoute(path);
  expect(found?.route.path).toBe(route);
  expect(found?.params).toEqual(params);
});

test.each([
  ['/products/dashboard/rollouts', '/'],
  ['/rollouts/12', '/'],
  ['/products/dashboard/charts', '/charts'],
])('%s belongs to %s', (path, nav) => {
  expect(currentNav(path)).toBe(nav);
});
