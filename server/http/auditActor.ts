/** The audit log's name for whoever sent a request, with the request's id. */
import type { FastifyRequest } from 'fastify';
import { actorName } from '../model/Principal.js';
import type { AuditActor } from '../store/audit.js';

export function auditActor(request: FastifyRequest): AuditActor {
  return { actor: actorName(request.principal), requestId: request.id };
}
