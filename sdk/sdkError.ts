import { DEV } from '../core/dev.js';
import { FinchError } from '../core/FinchError.js';
import type { FinchErrorCode } from '../core/FinchError.js';
import { MESSAGES } from './messages.js';

/**
 * A FinchError of the SDK. In development its message comes from the table in sdk/messages.ts; the
 * browser bundles carry the code as the message, and `details` in both.
 */
export function sdkError(code: FinchErrorCode, details: Record<string, unknown>): FinchError {
  return new FinchError(code, (DEV && MESSAGES[code]?.(details)) || code, details);
}
