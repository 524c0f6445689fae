/**
 * fast-check arbitraries of hostile input, as the raw text a client would send: JSON texts for bodies
 * (so a body 100,000 levels deep needs no JSON.stringify of our own) and percent-encoded text for paths
 * and queries.
 */
import fc from 'fast-check';

/** Characters that broke servers before: NUL, lone surrogates, separators, quotes, a BOM, RTL override. */
const NASTY_CHARS = ['\u0000', '\ud800', '\udfff', '\u2028', '\ufeff', '\u202e', '"', '\\', '/', '%', '.', '\n', '\u00e9', '\u{1f600}'];

/** Text with hostile characters mixed into arbitrary code points. */
export const nastyString = fc.string({
  unit: fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 40,
});

const IMPOSSIBLE_DATES = [
  '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '0000-01-01T00:00:00Z', '0050-06-01T00:00:00Z', '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '2026-01-01T00:00:00+24:00',
  '2026-01-01T00:00:00+16:00', '2026-01-01T00:00:00-23:59', '10000-01-01T00:00:00Z', '2026-01-01', 'infinity', '2026-01-01T00:00:00',
  '2026-06-01T12:00:00.123456789123Z', '+002026-01-01T00:00:00Z',
];

const STRINGS = [
  '\u0000', 'a\u0000b', '\ud800', '\udc00x', 'x\ud800', '\ud800\u0000', '', ' ', '../', '..%2f', '%00', '__proto__', 'constructor',
  'prototype', 'toString', 'hasOwnProperty', '*', 'null', 'NaN', '-1', 'javascript:alert(1)', '//evil.test/', ...IMPOSSIBLE_DATES,
];

/** Numbers as JSON text: beyond a double, beyond int4, beyond 2^53, negative, fractional. */
const NUMBERS = ['1e400', '-1e400', '1e-400', '-1', '0', '-0', '1.5', '2147483648', '-2147483649', '9007199254740993', '99999999999999999999', '1e308', '5e-324'];

const LITERALS = [
  'null', 'true', 'false', '[]', '{}', '[null]', '[[]]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}',
  '{"constructor":1}', '{"\\u0000":1}', '{"\\ud800":1}', '["\\u0000"]', '{"a":"\\ud800"}', '{"$ne":1}', '{"toString":1}',
];

const nest = (open: string, leaf: string, close: string) => (n: number): string => open.repeat(n) + leaf + close.repeat(n);

/** Nesting from just past the limits to far past any stack. */
const deepJson = fc.oneof(
  fc.integer({ min: 1, max: 200_000 }).map(nest('[', '', ']')),
  fc.integer({ min: 1, max: 200_000 }).map(nest('{"a":', '1', '}')),
  fc.integer({ min: 1, max: 100_000 }).map(nest('{"not":', '{"users":["a"]}', '}')),
  fc.integer({ min: 1, max: 100_000 }).map(nest('[{"x":', 'null', '}]')),
);

/** Any JSON text a hostile client might put where one value belongs. */
export const hostileJson: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...LITERALS) },
  { weight: 3, arbitrary: deepJson },
  { weight: 2, arbitrary: nastyString.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 2_000_000 }).map((n) => `"${'x'.repeat(n)}"`) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 150_000 }).map((n) => `[${Array.from({ length: n }, (_, i) => `"u${i}"`).join(',')}]`) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map((d) => (Number.isFinite(d) ? JSON.stringify(d) : '1e999')) },
);

/** A key for an object: prototype names, NUL, surrogates, or anything. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', 'a\u0000', '\ud800', '', 'x'.repeat(10_000), '$where'),
  nastyString,
);

/** Percent-encodes text as UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
export function percentEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A path segment or query value as sent on the wire, already encoded. */
export const hostileUrlText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0', '-1', '1.5', '1e3', '0x10', '2147483648', '99999999999', '99999999999999999999', '%00', 'a%00', '%ED%A0%80', '%C0%80', '%',
    '%zz', '..', '%2e%2e', '%2F', '__proto__', 'constructor', '', 'true', '[]', 'x'.repeat(5000), '%20', '+',
  ),
  fc.constantFrom(...IMPOSSIBLE_DATES).map(percentEncode),
  nastyString.map(percentEncode),
  fc.integer().map(String),
);
