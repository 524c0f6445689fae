/** MurmurHash3 x86_32 (Austin Appleby, public domain): the hash of `percent` buckets (docs/rules.md). */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH(h: number, k: number): number {
  h ^= mixK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, tailLen: number, len: number): number {
  if (tailLen > 0) h ^= mixK(tail);
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Scratch space for `murmur3Utf8`; grows to the longest key seen. Core is synchronous, so one is enough. */
let scratch = new Uint8Array(256);

/** Writes the UTF-8 of `s` into `scratch` at `at`; returns the new end. Lone surrogates become U+FFFD. */
function encodeInto(s: string, at: number): number {
  if (scratch.length < at + s.length * 3) {
    const bigger = new Uint8Array((at + s.length * 3) * 2);
    bigger.set(scratch.subarray(0, at));
    scratch = bigger;
  }
  const b = scratch;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[at++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      b[at++] = 0xc0 | (c >> 6);
    } else if (c < 0x10000) {
      b[at++] = 0xe0 | (c >> 12);
      b[at++] = 0x80 | ((c >> 6) & 63);
    } else {
      b[at++] = 0xf0 | (c >> 18);
      b[at++] = 0x80 | ((c >> 12) & 63);
      b[at++] = 0x80 | ((c >> 6) & 63);
    }
    b[at++] = 0x80 | (c & 63);
  }
  return at;
}

/** murmur3 of `bytes[0..len)`, continuing from state `h` after `before` bytes already mixed (a multiple of 4). */
function hash(h: number, bytes: Uint8Array, len: number, before: number): number {
  const blocks = len & ~3;
  let i = 0;
  // Little-endian 4-byte blocks, as the reference implementation reads them.
  for (; i < blocks; i += 4) {
    h = mixH(h, (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24));
  }
  let k = 0;
  for (let n = 0; i < len; i++, n++) k |= (bytes[i] as number) << (8 * n);
  return finish(h, k, len & 3, before + len);
}

/**
 * MurmurHash3 x86_32 of `bytes`, as an unsigned 32-bit integer.
 * @example murmur3(new Uint8Array([0x68, 0x65, 0x6c, 0x6c, 0x6f])) // 0x248bfa47 ("hello")
 * @default seed 0
 */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  return hash(seed | 0, bytes, bytes.length, 0);
}

/** murmur3 state after a fixed prefix: its whole 4-byte blocks mixed, the 0-3 bytes left over kept. */
export interface Murmur3Prefix {
  h: number;
  mixed: number;
  rest: Uint8Array;
}

/** Mixes `prefix` once, so every `murmur3WithPrefix` call only hashes what follows it. */
export function murmur3Prefix(prefix: string, seed = 0): Murmur3Prefix {
  const bytes = utf8(prefix);
  const mixed = bytes.length & ~3;
  let h = seed | 0;
  for (let i = 0; i < mixed; i += 4) {
    h = mixH(h, (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24));
  }
  return { h, mixed, rest: bytes.slice(mixed) };
}

/**
 * Where `murmur3WithPrefix` encodes keys, one per prefix remainder (0-3 bytes): each remembers the key it
 * holds, so the percent rules of one request (many salts, one user) encode the user id once per
 * remainder, not once per rule.
 */
const keySlots = [0, 1, 2, 3].map(() => ({ key: null as string | null, bytes: new Uint8Array(0), len: 0 }));

/**
 * murmur3 of UTF-8(prefix + key), encoded into a reused buffer: the bucketing hot path runs once per
 * percent rule per request and should build nothing.
 */
export function murmur3WithPrefix(p: Murmur3Prefix, key: string): number {
  const rest = p.rest;
  const slot = keySlots[rest.length] as (typeof keySlots)[number];
  if (slot.key !== key) {
    slot.len = encodeInto(key, rest.length);
    // Keep the bytes: `scratch` is shared with every other encode.
    if (slot.bytes.length < slot.len) slot.bytes = new Uint8Array(scratch.length);
    slot.bytes.set(scratch.subarray(0, slot.len));
    slot.key = key;
  }
  const b = slot.bytes;
  // Never more than 3 bytes; a loop beats TypedArray#set this small.
  for (let i = 0; i < rest.length; i++) b[i] = rest[i] as number;
  return hash(p.h, b, slot.len, p.mixed);
}

/** murmur3 of the UTF-8 encoding of `a + b`. */
export function murmur3Utf8(a: string, b: string, seed = 0): number {
  return murmur3WithPrefix(murmur3Prefix(a, seed), b);
}

/** UTF-8 bytes of `s` (TextEncoder is not in core's ES2022 lib). Lone surrogates become U+FFFD. */
export function utf8(s: string): Uint8Array {
  const len = encodeInto(s, 0);
  return scratch.slice(0, len);
}
