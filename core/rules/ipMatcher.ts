/**
 * CIDR lists of the `ip` rule, parsed once. Each family keeps one Set of network prefixes per prefix
 * length, so a check costs one lookup per distinct length (a handful), not one per CIDR (up to 10,000).
 *
 * IPv4-mapped IPv6 (`::ffff:10.1.2.3`, what a dual-stack socket reports for an IPv4 client) is treated as
 * the IPv4 address it carries: a mapped client is matched against IPv4 ranges, and an IPv6 range inside
 * (or covering) `::ffff:0:0/96` is also recorded as the IPv4 range it means. So `10.0.0.0/8` matches
 * `::ffff:10.1.2.3` and `::ffff:10.0.0.0/104` matches `10.1.2.3`.
 */
import ipaddr from 'ipaddr.js';

/** A parsed client address: IPv4 (also from a mapped IPv6) as an unsigned 32-bit number, else IPv6. */
export type ParsedIp = { v4: number; v6: null } | { v4: -1; v6: bigint };

export interface IpMatcher {
  v4: Map<number, Set<number>>;
  v6: Map<number, Set<bigint>>;
}

const V4 = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;
const MAPPED_96 = 0xffffn;

function v4Number(text: string): number | null {
  if (!V4.test(text)) return null;
  let n = 0;
  for (const part of text.split('.')) {
    const o = Number(part);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

function v6Bigint(text: string): bigint | null {
  // ipaddr.js alone would also take zone ids; refused first.
  if (!text.includes(':') || text.includes('%') || !ipaddr.IPv6.isValid(text)) return null;
  let n = 0n;
  for (const p of ipaddr.IPv6.parse(text).parts) n = (n << 16n) | BigInt(p);
  return n;
}

const v4Key = (ip: number, len: number): number => (len === 0 ? 0 : ip >>> (32 - len));

/** Parses a client address; null when it is neither a dotted-quad IPv4 nor an IPv6 address. */
export function parseIp(text: string): ParsedIp | null {
  const v4 = v4Number(text);
  if (v4 !== null) return { v4, v6: null };
  const v6 = v6Bigint(text);
  if (v6 === null) return null;
  return v6 >> 32n === MAPPED_96 ? { v4: Number(v6 & 0xffffffffn), v6: null } : { v4: -1, v6 };
}

function add<K>(map: Map<number, Set<K>>, len: number, key: K): void {
  let set = map.get(len);
  if (!set) map.set(len, (set = new Set()));
  set.add(key);
}

/** Adds one CIDR (`10.0.0.0/8`, `2001:db8::/32`, or a bare address); false when it is not one. */
export function addCidr(m: IpMatcher, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  const addr = slash < 0 ? cidr : cidr.slice(0, slash);
  const lenText = slash < 0 ? null : cidr.slice(slash + 1);
  if (lenText !== null && !/^(0|[1-9]\d{0,2})$/.test(lenText)) return false;
  const v4 = v4Number(addr);
  if (v4 !== null) {
    const len = lenText === null ? 32 : Number(lenText);
    if (len > 32) return false;
    // Host bits set in the rule (10.1.2.3/8) are ignored: the prefix is what counts.
    add(m.v4, len, v4Key(v4, len));
    return true;
  }
  const v6 = v6Bigint(addr);
  if (v6 === null) return false;
  const len = lenText === null ? 128 : Number(lenText);
  if (len > 128) return false;
  add(m.v6, len, v6 >> BigInt(128 - len));
  if (len >= 96 && v6 >> 32n === MAPPED_96) add(m.v4, len - 96, v4Key(Number(v6 & 0xffffffffn), len - 96));
  else if (len < 96 && v6 >> BigInt(128 - len) === MAPPED_96 >> BigInt(96 - len)) add(m.v4, 0, 0);
  return true;
}

/** Freezes a matcher into flat arrays: iterating a Map per request would allocate entries. */
export function matcherOf(m: IpMatcher): (ip: ParsedIp) => boolean {
  const v4Lens = [...m.v4.keys()];
  const v4Sets = [...m.v4.values()];
  const v6Lens = [...m.v6.keys()].map((l) => BigInt(128 - l));
  const v6Sets = [...m.v6.values()];
  return (ip) => {
    if (ip.v6 === null) {
      for (let i = 0; i < v4Lens.length; i++) if ((v4Sets[i] as Set<number>).has(v4Key(ip.v4, v4Lens[i] as number))) return true;
      return false;
    }
    for (let i = 0; i < v6Lens.length; i++) if ((v6Sets[i] as Set<bigint>).has(ip.v6 >> (v6Lens[i] as bigint))) return true;
    return false;
  };
}

let lastText: string | null = null;
let lastIp: ParsedIp | null = null;

/**
 * `parseIp` with a one-entry memo: a request's IP is the same for every rule of every product it is
 * resolved against, so it is parsed once per request, not once per rule.
 */
export function parseIpCached(text: string): ParsedIp | null {
  if (text !== lastText) {
    lastIp = parseIp(text);
    lastText = text;
  }
  return lastIp;
}
