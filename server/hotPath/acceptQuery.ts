/**
 * The fast lane's check of a getConsoleVersion query string. It accepts only what the GET route's schema
 * surely accepts, parsed by the same parser Fastify uses (fast-querystring), so both read the same
 * values; anything else (unknown or repeated keys, a bad list, odd lengths) is left to the route, whose
 * schema answers it with the error body.
 */
import { parse } from 'fast-querystring';
import { textProblem } from '../input/findBadInput.js';
import { MAX_PRODUCT_LIST, MAX_PRODUCTS, MAX_USER_ID, PRODUCT_LIST_PATTERN } from '../model/limits.js';

export interface GetQuery {
  products: string[];
  userId: string | null;
  deviceId: string | undefined;
}

const PRODUCT_LIST = new RegExp(PRODUCT_LIST_PATTERN);

/**
 * Ajv counts a string's length in code points; `length` counts UTF-16 units, never fewer, so a length
 * within the bounds here is within them there too. Text the input guard refuses (a NUL) goes to the
 * route, which answers the error.
 */
const idOk = (v: unknown): v is string | undefined =>
  v === undefined || (typeof v === 'string' && v.length >= 1 && v.length <= MAX_USER_ID && textProblem(v) === null);

/** The parsed query, or null to leave the request to the Fastify route. */
export function acceptQuery(search: string): GetQuery | null {
  const q = parse(search) as Record<string, unknown>;
  const { products, userId, deviceId } = q;
  // No other key: as many `&`-separated parts as keys read (a repeated key is an array, refused below).
  // Counting beats walking the parsed object's keys, which is in dictionary mode.
  let parts = 1;
  for (let i = search.indexOf('&'); i !== -1; i = search.indexOf('&', i + 1)) parts++;
  if (parts !== 1 + Number(userId !== undefined) + Number(deviceId !== undefined)) return null;
  if (typeof products !== 'string' || products.length > MAX_PRODUCT_LIST || !PRODUCT_LIST.test(products)) return null;
  if (!idOk(userId) || !idOk(deviceId)) return null;
  const list = products.split(',');
  if (list.length > MAX_PRODUCTS) return null;
  return { products: list, userId: userId ?? null, deviceId };
}
