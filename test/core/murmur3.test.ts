import { describe, expect, test } from 'vitest';
import { bucketOf, murmur3 } from '../../core/index.js';
import { murmur3Prefix, murmur3Utf8, murmur3WithPrefix, utf8 } from '../../core/rules/murmur3.js';
import { rng } from '../rng.js';

const enc = new TextEncoder();

describe('murmur3 x86_32', () => {
  // Reference values of MurmurHash3_x86_32 (smhasher), checked against several independent ports.
  test.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['a', 0, 0x3c2569b2],
    ['ab', 0, 0x9bbfd75f],
    ['abc', 0, 0xb3dd93fa],
    ['abcd', 0, 0x43ed676a],
    ['hello', 0, 0x248bfa47],
    ['hello', 1, 0xbb4abcad],
    ['Hello, world!', 0, 0xc0363e43],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('%j seed %i → %i', (text, seed, want) => {
    expect(murmur3(enc.encode(text), seed)).toBe(want);
  });

  test('defaults to seed 0 and is unsigned', () => {
    expect(murmur3(enc.encode('hello'))).toBe(0x248bfa47);
    // 0x81f16f39 has the top bit set: a signed result would be negative.
    expect(murmur3(enc.encode(''), 0xffffffff)).toBeGreaterThan(0x7fffffff);
  });

  const texts = ['', 'a', 'é', '日本語', '😀', 'user-42', 'mix é日😀 end', '\ud800lone', 'lone\udc00', 'x'.repeat(1001)];
  test.each(texts.map((t) => [t.slice(0, 20), t]))('utf8(%j…) equals TextEncoder', (_, text) => {
    expect([...utf8(text)]).toEqual([...enc.encode(text)]);
  });

  test.each(texts.map((t) => [t.slice(0, 20), t]))('streaming hash of %j… equals murmur3 of its bytes at every split', (_, text) => {
    const want = murmur3(enc.encode(text));
    for (let i = 0; i <= Math.min(text.length, 12); i++) {
      // Splitting a surrogate pair would hash two lone halves; bucketing always splits after ":".
      const c = text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) continue;
      expect(murmur3Utf8(text.slice(0, i), text.slice(i))).toBe(want);
    }
  });
});

describe('bucketOf', () => {
  test.each([
    ['7', 'alice'],
    ['salt', 'bob'],
    ['42', '用户'],
  ])('bucketOf(%j, %j) = murmur3(utf8(salt:key)) % 10000', (salt, key) => {
    const b = bucketOf(salt, key);
    expect(b).toBe(murmur3(enc.encode(`${salt}:${key}`)) % 10000);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(10000);
  });

  // Pinned: a change here would move users between builds of every running rollout.
  test.each([
    ['7', 'alice', 660],
    ['7', 'bob', 7803],
    ['strategy-salt', '用户-1', 8993],
  ])('bucketOf(%j, %j) stays %i', (salt, key, want) => {
    expect(bucketOf(salt, key)).toBe(want);
  });

  test('a prefix hashed once, then many keys: the same as hashing prefix + key whole', () => {
    // Salts of every remainder length, keys repeated and interleaved, short and long, with multi-byte
    // characters: the per-remainder key cache must never hand one key's bytes to another.
    const r = rng(7);
    const alphabet = ['a', 'Z', '9', ':', 'é', '中', '🙂'];
    const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const salts = Array.from({ length: 12 }, (_, i) => `${word(i % 5)}${i}:`);
    const keys = Array.from({ length: 40 }, (_, i) => word(i % 3 === 0 ? 120 : 1 + (i % 9)));
    for (let n = 0; n < 2000; n++) {
      const salt = salts[Math.floor(r() * salts.length)]!;
      const key = keys[Math.floor(r() * keys.length)]!;
      expect(murmur3WithPrefix(murmur3Prefix(salt), key)).toBe(murmur3(enc.encode(salt + key)));
    }
  });
});
