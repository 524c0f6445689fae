/**
 * Refuses, for every API route in one place, input that no schema states and that would otherwise fail
 * deep inside (a 500): NUL characters and lone surrogates in any text or key, numbers beyond a double,
 * and bodies nested past MAX_BODY_DEPTH. It runs before schema validation, on the parsed path
 * parameters, query and body, whatever parsed them (JSON, text/plain reports).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { FinchError } from '../../core/FinchError.js';
import { findBadInput } from '../input/findBadInput.js';
import { MAX_BODY_DEPTH } from '../model/limits.js';

/** Only the control plane's API: hosted release files answer a NUL in their path with a plain 404. */
const API_PREFIX = '/api/';

function guard(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const bad =
    findBadInput(request.params, 'params', MAX_BODY_DEPTH) ??
    findBadInput(request.query, 'query', MAX_BODY_DEPTH) ??
    findBadInput(request.body, 'body', MAX_BODY_DEPTH);
  if (bad === null) return done();
  const details: Record<string, unknown> = bad.limit === undefined ? { field: bad.field } : { field: bad.field, limit: bad.limit };
  done(new FinchError('invalid-input', `Invalid input: ${bad.field} ${bad.problem}.`, details));
}

/** Call before any route is registered: it attaches itself to each API route as it is added. */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(API_PREFIX)) return;
    const own = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    route.preValidation = [guard, ...own] as typeof route.preValidation;
  });
}
