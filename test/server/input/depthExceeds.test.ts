/** The nesting count behind the `maxDepth` schema keyword. */
import { describe, expect, test } from 'vitest';
import { depthExceeds } from '../../../server/input/depthExceeds.js';

const nest = (n: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

describe('depthExceeds', () => {
  test('counts levels of arrays and objects, scalars none', () => {
    expect(depthExceeds('x', 0)).toBe(false);
    expect(depthExceeds({}, 0)).toBe(true);
    expect(depthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(depthExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(depthExceeds(nest(500_000, 1), 32)).toBe(true);
  });
});
