/**
 * Maps everything a route can throw to the error body of docs/api.md. Bad input of any kind (schema,
 * JSON syntax, size, media type) is a 4xx with a code; anything else is a 500 that says nothing about
 * internals (the log gets the details).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isFinchError, type FinchErrorCode } from '../../core/index.js';
import { httpStatusOf } from './httpStatus.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: Record<string, unknown>): FastifyReply {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

const CODE_OF_STATUS: Record<number, FinchErrorCode> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'invalid-input',
  428: 'precondition-required',
  429: 'rate-limited',
};

/** PostgreSQL errors that mean the input was wrong, not the server. */
const PG_INPUT_ERRORS: Record<string, [number, FinchErrorCode, string]> = {
  '23505': [409, 'conflict', 'Failed to save: it already exists.'],
  '23503': [409, 'conflict', 'Failed to save: it refers to or is referred to by something else.'],
  '22P02': [400, 'invalid-input', 'Failed to read the input: a value has the wrong form.'],
  '22003': [400, 'invalid-input', 'Failed to read the input: a number is out of range.'],
  '54001': [400, 'invalid-input', 'Failed to save: the input is too deeply nested.'],
  // The input guard (NUL, lone surrogates) and the date-time format (impossible dates) refuse these first;
  // kept as a second net.
  '22021': [400, 'invalid-input', 'Failed to save: a text contains a character that cannot be stored (such as NUL).'],
  '22P05': [400, 'invalid-input', 'Failed to save: a JSON text contains an escape that cannot be stored (such as \\u0000).'],
  '22007': [400, 'invalid-input', 'Failed to read the input: a date or time has the wrong form.'],
  '22008': [400, 'invalid-input', 'Failed to read the input: a date or time is out of range.'],
  '22009': [400, 'invalid-input', 'Failed to read the input: a time zone offset is out of range.'],
};

/** `{ field: 'body/config', limit }` from the first schema error, so a program can point at the field. */
function validationDetails(context: string | undefined, errors: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(errors) ? (errors[0] as { instancePath?: unknown; params?: { limit?: unknown } } | undefined) : undefined;
  if (first === undefined) return undefined;
  const details: Record<string, unknown> = { field: `${context ?? 'input'}${typeof first.instancePath === 'string' ? first.instancePath : ''}` };
  if (typeof first.params?.limit === 'number') details['limit'] = first.params.limit;
  return details;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (isFinchError(err)) {
      const status = httpStatusOf(err.code);
      if (status >= 500) request.log.error({ err }, 'request failed');
      const details = Object.keys(err.details).length > 0 && status < 500 ? { ...err.details } : undefined;
      return sendError(reply, status, err.code, status >= 500 ? 'Internal error. Try again later.' : err.message, details);
    }
    const fe = err as FastifyError & { validation?: unknown; validationContext?: string };
    if (fe.validation !== undefined) {
      return sendError(reply, 400, 'invalid-input', `Invalid input: ${fe.message}.`, validationDetails(fe.validationContext, fe.validation));
    }
    const pgCode = (err as { code?: unknown }).code;
    if (typeof pgCode === 'string' && PG_INPUT_ERRORS[pgCode] !== undefined) {
      const [status, code, message] = PG_INPUT_ERRORS[pgCode];
      return sendError(reply, status, code, message);
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = CODE_OF_STATUS[status] ?? 'invalid-input';
      const message =
        status === 413 ? 'Request body is too large.' :
        fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Unsupported Content-Type: send application/json.' :
        fe instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'Request body is not valid JSON.' :
        fe.message;
      return sendError(reply, status, code, message);
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'internal', 'Internal error. Try again later.');
  });

  app.setNotFoundHandler((request, reply) => {
    sendError(reply, 404, 'not-found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}.`);
  });
}
