/** The input guard's walk: what it refuses, where it says it found it, and what it lets through. */
import { describe, expect, test } from 'vitest';
import { findBadInput, textProblem } from '../../../server/input/findBadInput.js';

const nest = (n: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

describe('findBadInput', () => {
  test.each([
    ['a NUL in a value', { a: { b: ['x', 'y\u0000'] } }, 'body/a/b/1', /NUL/],
    ['a NUL in a key', { a: { 'k\u0000': 1 } }, 'body/a/"k\\u0000"', /key that contains the NUL/],
    ['a lone high surrogate', { s: 'a\ud800' }, 'body/s', /lone UTF-16 surrogate/],
    ['a lone low surrogate', { s: '\udc00a' }, 'body/s', /lone UTF-16 surrogate/],
    ['two high surrogates', { s: '\ud800\ud800\udc00' }, 'body/s', /lone UTF-16 surrogate/],
    ['a lone surrogate in a key', { '\udfff': 1 }, 'body/"\\udfff"', /key that contains a lone/],
    ['Infinity (1e400 parsed)', { n: [1, Infinity] }, 'body/n/1', /too large/],
    ['NaN', { n: NaN }, 'body/n', /too large/],
    ['a key with odd characters, quoted', { 'a b': '\u0000' }, 'body/"a b"', /NUL/],
  ])('finds %s', (_name, input, field, problem) => {
    const bad = findBadInput(input, 'body', 64);
    expect(bad?.field).toBe(field);
    expect(bad?.problem).toMatch(problem);
  });

  test('a string at the top is named by the root', () => {
    expect(findBadInput('\u0000', 'body', 64)?.field).toBe('body');
  });

  test('nesting past the limit is found with the limit, however deep, without a deep call stack', () => {
    expect(findBadInput(nest(64, 1), 'body', 64)).toBeNull();
    const bad = findBadInput(nest(65, 1), 'body', 64);
    expect(bad).toMatchObject({ field: `body${'/0'.repeat(64)}`, limit: 64 });
    expect(findBadInput(nest(1_000_000, 1), 'body', 64)?.limit).toBe(64);
  });

  test('well-formed text, emoji (surrogate pairs) and ordinary numbers pass', () => {
    expect(findBadInput({ s: 'héllo \u{1f600} \ud83d\ude00', n: [0, -1, 1.5, 1e308, 5e-324], b: true, z: null, e: {} }, 'body', 64)).toBeNull();
  });

  test('streams and buffers (an upload body) are not walked', () => {
    expect(findBadInput(Buffer.from([0, 0xed, 0xa0, 0x80]), 'body', 64)).toBeNull();
    expect(findBadInput(new Map([['\u0000', 1]]), 'body', 64)).toBeNull();
  });

  test('null-prototype objects (parsed queries) are walked', () => {
    const q = Object.assign(Object.create(null) as Record<string, unknown>, { action: ['a', 'b\u0000'] });
    expect(findBadInput(q, 'query', 64)?.field).toBe('query/action/1');
  });

  test('a very long key is named shortened', () => {
    const key = `${'k'.repeat(100)}\u0000`;
    expect(findBadInput({ [key]: 1 }, 'body', 64)?.field).toBe(`body/"${'k'.repeat(64)}…"`);
  });
});

describe('textProblem', () => {
  test('null for text PostgreSQL can store', () => {
    expect(textProblem('plain')).toBeNull();
    expect(textProblem('\ud83d\ude00')).toBeNull();
    expect(textProblem('\u0001\u007f\uffff')).toBeNull();
  });
});
