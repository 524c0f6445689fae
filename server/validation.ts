/**
 * Request validation with two Ajv instances. Bodies are checked as sent: no type coercion and no silent
 * removal of unknown properties, so `{"name": 123}` or a misspelt field is a 400 and nothing is stored
 * (R24). Path and query parts are text by nature and keep Fastify's usual coercion ("12" → 12).
 */
import type { FastifyInstance } from 'fastify';
import { Ajv, type Options } from 'ajv';

const dateTime = (s: string): boolean => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s));

function makeAjv(coerce: boolean): Ajv {
  const options: Options = {
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    // allErrors lets one request make Ajv walk every error of a huge body: a cheap DoS.
    allErrors: false,
    strict: false,
    logger: false,
    formats: { 'date-time': dateTime, uri: (s: string) => URL.canParse(s) },
  };
  return new Ajv(options);
}

export function installValidation(app: FastifyInstance): void {
  const body = makeAjv(false);
  const other = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema));
}
