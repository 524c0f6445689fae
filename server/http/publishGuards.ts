/** The publish guard of routes that name a build by id: the build's product decides which tokens pass. */
import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../db/Db.js';
import { productNameOfResource } from '../store/resources.js';
import { requirePublish, type RouteGuard } from './guards.js';

/** For `/resources/:id…`: a publish token for the resource's product (any, when the id is unknown: the route says 404). */
export function publishTokenOfResource(db: Queryable): RouteGuard {
  return requirePublish((request: FastifyRequest) => productNameOfResource(db, Number((request.params as { id: string }).id)));
}
