/** One call to the control plane's HTTP API with a Bearer token, for the commands that run in CI. */
import { FinchError } from '../../core/FinchError.js';

export interface ApiAnswer {
  status: number;
  json: unknown;
}

export async function apiRequest(method: string, url: string, token: string, body?: { data: RequestInit['body']; type: string; length?: number }): Promise<ApiAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body ? { 'content-type': body.type } : {}),
        ...(body?.length !== undefined ? { 'content-length': String(body.length) } : {}),
      },
      ...(body ? { body: body.data } : {}),
      // A streamed body (the upload with progress) must say it is sent before the answer is read.
      ...(body?.data instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new FinchError('network-error', `Failed to reach ${url}: ${err instanceof Error ? err.message : String(err)}${cause}. Check --endpoint.`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = { error: { code: 'invalid-response', message: text.slice(0, 200) } };
  }
  return { status: res.status, json };
}

/** "<step> failed with HTTP 409 conflict: …", from an error answer. */
export function failure(command: string, step: string, r: ApiAnswer): string {
  const err = (r.json as { error?: { code?: string; message?: string } } | null)?.error;
  return `${command}: ${step} failed with HTTP ${r.status}${err ? ` ${err.code}: ${err.message}` : ''}`;
}
