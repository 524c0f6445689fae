/** The HTTP status of each FinchError code: 4xx for anything the caller can fix, 5xx only for us. */
import type { FinchErrorCode } from '../../core/index.js';

const STATUS: Partial<Record<FinchErrorCode, number>> = {
  'invalid-manifest': 400,
  'unsupported-schema': 400,
  'unsafe-url': 400,
  'forbidden-url': 400,
  'invalid-rule': 400,
  'rule-too-large': 400,
  'invalid-input': 400,
  'invalid-archive': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'illegal-transition': 409,
  'resource-in-use': 409,
  'build-not-servable': 409,
  'precondition-failed': 412,
  'payload-too-large': 413,
  'precondition-required': 428,
  'rate-limited': 429,
  'storage-error': 503,
};

export function httpStatusOf(code: FinchErrorCode): number {
  return STATUS[code] ?? 500;
}
