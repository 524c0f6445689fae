/** Entity tags on replies: conditional GETs, and strategies sent with the ETag their writes need. */
import type { FastifyReply } from 'fastify';
import { publicStrategy, strategyEtag, type PublicStrategy } from '../strategies/strategyView.js';
import type { Strategy } from '../store/strategies.js';

/** Does an If-None-Match header (a list, `*`, weak tags) name `etag`? */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}

/** The strategy as the API shows it, with its ETag header set. */
export function withStrategyEtag(reply: FastifyReply, s: Strategy): PublicStrategy {
  reply.header('ETag', strategyEtag(s));
  return publicStrategy(s);
}
