/**
 * Request validation with two Ajv instances. Bodies are checked as sent: no type coercion and no silent
 * removal of unknown properties, so `{"name": 123}` or a misspelt field is a 400 and nothing is stored
 * (bad input, docs/failures.md). Path and query parts are text by nature and keep Fastify's usual coercion ("12" → 12).
 * Before either runs, the input guard refuses what no schema states (NUL, lone surrogates, deep nesting).
 */
import type { FastifyInstance } from 'fastify';
import { Ajv, type FuncKeywordDefinition, type Options, type SchemaValidateFunction } from 'ajv';
import { depthExceeds } from '../input/depthExceeds.js';
import { installInputGuard } from './inputGuard.js';
import { isRfc3339DateTime } from '../input/rfc3339.js';

/**
 * `maxDepth: n` on a free-form object: at most n levels of arrays and objects inside it. The input guard
 * has already bounded the whole body, so this walk is short.
 */
const checkDepth: SchemaValidateFunction = (limit: number, data: unknown): boolean => {
  if (!depthExceeds(data, limit)) return true;
  checkDepth.errors = [{ keyword: 'maxDepth', message: `must not nest more than ${limit} levels of arrays and objects`, params: { limit } }];
  return false;
};
const maxDepthKeyword: FuncKeywordDefinition = { keyword: 'maxDepth', schemaType: 'number', errors: true, validate: checkDepth };

function makeAjv(coerce: boolean): Ajv {
  const options: Options = {
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    // allErrors lets one request make Ajv walk every error of a huge body: a cheap DoS.
    allErrors: false,
    strict: false,
    logger: false,
    formats: { 'date-time': isRfc3339DateTime, uri: (s: string) => URL.canParse(s) },
  };
  const ajv = new Ajv(options);
  ajv.addKeyword(maxDepthKeyword);
  return ajv;
}

export function installValidation(app: FastifyInstance): void {
  const body = makeAjv(false);
  const other = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema));
  installInputGuard(app);
}
