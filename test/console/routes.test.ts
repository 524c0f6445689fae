// @vitest-environment happy-dom
/** Which nav entry a console path lights up. */
import { expect, test } from 'vitest';
import { currentNav } from '../../console/routes.js';

test.each([
  ['/', '/'],
  ['/products/dashboard', '/'],
  ['/products/dashboard/strategies/new', '/'],
  ['/strategies/4', '/'],
  ['/products/dashboard/charts', '/charts'],
  ['/charts', '/charts'],
  ['/who', '/who'],
  ['/audit', '/audit'],
  ['/users', '/users'],
  ['/tokens', '/tokens'],
  ['/nowhere', ''],
])('%s belongs to %s', (path, nav) => {
  expect(currentNav(path)).toBe(nav);
});
