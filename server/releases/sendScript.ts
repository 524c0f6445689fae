/**
 * Answers with one of the browser scripts the server ships: `no-cache` so every page load revalidates
 * and a new build is picked up at once, a content hash as ETag so revalidation is a 304, and `nosniff`.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches } from '../http/etag.js';

export function sendScript(request: FastifyRequest, reply: FastifyReply, body: Buffer): FastifyReply {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply
    .header('Content-Type', 'text/javascript; charset=utf-8')
    .header('Cache-Control', 'no-cache')
    .header('X-Content-Type-Options', 'nosniff')
    .header('ETag', etag);
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.send(body);
}
