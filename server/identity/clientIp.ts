/**
 * The client's IP (docs/manifest.md; spoofed IP, docs/failures.md). proxy-addr (what Fastify's `trustProxy` uses, with the same
 * CIDR list) walks X-Forwarded-For right to left past trusted hops and gives the socket peer when nobody
 * is trusted; this adds X-Real-IP, honoured only when the peer itself is a trusted proxy and sent no
 * X-Forwarded-For. It reads the raw Node request, so the fast lane and the Fastify route agree.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import ipaddr from 'ipaddr.js';

/** Parses and unwraps IPv4-mapped IPv6 (`::ffff:1.2.3.4` → `1.2.3.4`); null for garbage. */
function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(text)) return null;
  const addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address();
  return addr;
}

/**
 * Parsed addresses by text: a server sees the same few peers (proxies, keep-alive clients) again and
 * again, and parsing showed up in profiles. Cleared when full, so scans of many addresses stay bounded.
 */
const normalized = new Map<string, string | null>();
const MAX_REMEMBERED = 4096;

export function normalizeIp(text: string | undefined): string | null {
  if (text === undefined) return null;
  let value = normalized.get(text);
  if (value === undefined) {
    const addr = parseIp(text);
    value = addr === null ? null : addr.toString();
    if (normalized.size >= MAX_REMEMBERED) normalized.clear();
    normalized.set(text, value);
  }
  return value;
}

/** The client IP of a request, for the trusted proxies `cidrs` (none: the socket peer). */
export type ClientIp = (req: IncomingMessage) => string | null;

export function createClientIp(cidrs: readonly string[]): ClientIp {
  if (cidrs.length === 0) return (req) => normalizeIp(req.socket.remoteAddress);
  // One compiled list for both questions: is this hop trusted (the peer is hop 0), and the XFF walk.
  const trusted = proxyAddr.compile([...cidrs]);
  return (req) => {
    const peer = req.socket.remoteAddress;
    if (req.headers['x-forwarded-for'] === undefined && peer !== undefined && trusted(peer, 0)) {
      const real = req.headers['x-real-ip'];
      const value = normalizeIp(typeof real === 'string' ? real.trim() : undefined);
      if (value !== null) return value;
    }
    return normalizeIp(proxyAddr(req, trusted));
  };
}
