// The console's one door to the control plane: same-origin `/api/v1`, the session cookie, JSON in
// and out. Every failure becomes an ApiError carrying the server's error code, so pages show a
// message per code instead of parsing text.
import { session } from './session.js';

export const API_BASE = '/api/v1';

export interface ApiResponse<T> {
  status: number;
  body: T;
  /** The `ETag` header, e.g. `"s3-v7"` for a strategy; null when the server sent none. */
  etag: string | null;
}

/** A refused call: the HTTP status and the `{error: {code, message, details}}` of its body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Keep the session when the answer is 401. Signing in sets it: there a 401 is a wrong password,
   * not an expired session.
   * @default false
   */
  keepSessionOn401?: boolean;
}

/**
 * Calls `method path` under `/api/v1` and returns the answer, or throws ApiError for any status of
 * 400 and above (and for a network failure, as code `network`). A 401 signs the console out, which
 * brings back the sign-in page.
 * @example const { body, etag } = await api<Strategy>('GET', `/strategies/${id}`);
 */
export async function api<T = unknown>(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(API_BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `Failed to reach the server: ${e instanceof Error ? e.message : String(e)}. Check the connection and try again.`);
  }
  const text = res.status === 204 || res.status === 304 ? '' : await res.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (res.status >= 400) {
    if (res.status === 401 && !opts.keepSessionOn401) session.value = null;
    throw toApiError(res.status, body);
  }
  return { status: res.status, body: body as T, etag: res.headers.get('ETag') };
}

function toApiError(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : `http-${status}`;
  const message = typeof err?.message === 'string' ? err.message : `The server answered ${status}.`;
  const details = typeof err?.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
  return new ApiError(status, code, message, details);
}
