/** Every code a FinchError can carry. The server maps each to an HTTP status (server/errors). */
export type FinchErrorCode =
  | 'invalid-manifest'
  | 'unsupported-schema'
  | 'unsafe-url'
  | 'forbidden-url'
  | 'invalid-rule'
  | 'rule-too-large'
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'illegal-transition'
  | 'resource-in-use'
  | 'build-not-servable'
  | 'precondition-required'
  | 'precondition-failed'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'payload-too-large'
  | 'invalid-archive'
  | 'network-error'
  | 'timeout'
  | 'storage-error'
  | 'load-error'
  | 'integrity-error'
  | 'data-dir-locked'
  | 'worker-unavailable'
  | 'internal';

/**
 * The one error type of Finch: a kebab-case `code` for programs, a message for people
 * ("Failed to X: reason. Fix."), and `details` for whatever helps to fix it.
 */
export class FinchError extends Error {
  readonly code: FinchErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: FinchErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'FinchError';
    this.code = code;
    this.details = details;
  }
}

/** True for a FinchError, also one from another copy of this module (SDK bundle vs. host code). */
export function isFinchError(value: unknown): value is FinchError {
  return value instanceof FinchError || (value instanceof Error && value.name === 'FinchError' && 'code' in value);
}
