/**
 * The fast lane's check of a getConsoleVersion query string. It accepts only what the GET route's schema
 * surely accepts, parsed by the same parser Fastify uses (fast-querystring), so both read the same
 * values; anything else (unknown or repeated keys, a bad list, odd lengths) is left to the route, whose
 * schema answers it with the error body.
 */
import { parse } from 'fast-querystring';
import { MAX_PRODUCT_LIST, MAX_PRODUCTS, MAX_USER_ID, PRODUCT_LIST_PATTERN } from './limits.js';

export interface GetQuery {
  products: string[];
  userId: string | null;
  deviceId: string | undefined;
}

const PRODUCT_LIST = new RegExp(PRODUCT_LIST_PATTERN);

/**
 * Ajv counts a string's length in code points; `length` counts UTF-16 units, never fewer, so a length
 * within the bounds here is within them there too.
 */
const idOk = (v: unknown): v is string | undefined => v === undefined || (typeof v === 'string' && v.length >= 1 && v.length <= MAX_USER_ID);

/** The parsed query, or null to leave the request to the Fastify route. */
export function acceptQuery(search: string): GetQuery | null {
  const q = parse(search) as Record<string, unknown>;
  for (const k in q) if (k !== 'products' && k !== 'userId' && k !== 'deviceId') return null;
  const { products, userId, deviceId } = q;
  if (typeof products !== 'string' || products.length > MAX_PRODUCT_LIST || !PRODUCT_LIST.test(products)) return null;
  if (!idOk(userId) || !idOk(deviceId)) return null;
  const list = products.split(',');
  if (list.length > MAX_PRODUCTS) return null;
  return { products: list, userId: userId ?? null, deviceId };
}
