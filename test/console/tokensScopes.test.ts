import { describe, expect, test } from 'vitest';
import { scopesOf } from '../../console/pages/tokensScopes.js';

const none = { publishAll: false, publishProducts: [], operate: false, admin: false };

describe('scopesOf', () => {
  test.each([
    [{}, []],
    [{ publishAll: true }, ['publish']],
    [{ publishAll: true, publishProducts: ['header'] }, ['publish']],
    [{ publishProducts: ['header', 'dashboard', 'header'] }, ['publish:dashboard,header']],
    [{ operate: true, admin: true }, ['operate', 'admin']],
    [{ publishProducts: ['dashboard'], operate: true }, ['publish:dashboard', 'operate']],
  ])('%j → %j', (choice, scopes) => {
    expect(scopesOf({ ...none, ...choice })).toEqual(scopes);
  });
});
