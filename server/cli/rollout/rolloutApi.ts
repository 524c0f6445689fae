/**
 * The rollout calls of the HTTP API, for the `finch rollout` commands: the control plane and token
 * from flags or FINCH_ENDPOINT / FINCH_TOKEN, as `finch publish` takes them. An error answer becomes
 * a FinchError with the server's code, message and details, and `details.httpStatus`.
 */
import { FinchError } from '../../../core/FinchError.js';
import type { RolloutCommand } from '../../../core/index.js';
import type { RolloutInfo } from '../../../core/apiTypes.js';
import { apiRequest, type ApiAnswer } from '../apiRequest.js';
import { asRollout, asRolloutList, isObj } from './rolloutAnswer.js';

export interface RolloutApi {
  get(id: number): Promise<RolloutInfo>;
  list(product: string): Promise<RolloutInfo[]>;
  start(plan: Record<string, unknown>): Promise<RolloutInfo>;
  command(id: number, cmd: RolloutCommand): Promise<RolloutInfo>;
  /** A build's version, like `2.0.0`; null when it cannot be read (the rollout is shown without it). */
  version(resourceId: number): Promise<string | null>;
  /** Every build's version of a product, by id; empty when they cannot be read. */
  versions(product: string): Promise<Map<number, string>>;
}

/** The server's error answer as a FinchError that keeps its code and details. */
function refusal(r: ApiAnswer): FinchError {
  const err = isObj(r.json) && isObj(r.json['error']) ? r.json['error'] : {};
  const code = typeof err['code'] === 'string' ? err['code'] : 'internal';
  const message = typeof err['message'] === 'string' ? err['message'] : `The server answered HTTP ${r.status}.`;
  const details = isObj(err['details']) ? err['details'] : {};
  return new FinchError(code as FinchError['code'], message, { ...details, httpStatus: r.status });
}

/** A usage problem with the endpoint or the token; null when both are there and usable. */
export function connectionProblem(endpoint: string | undefined, token: string | undefined): string | null {
  const missing = [endpoint ? null : '--endpoint (or FINCH_ENDPOINT)', token ? null : '--token (or FINCH_TOKEN)'].filter((m) => m !== null);
  if (missing.length > 0) return `missing ${missing.join(' and ')}.`;
  if (!URL.canParse(endpoint!) || !/^https?:$/.test(new URL(endpoint!).protocol)) return `--endpoint must be the control plane's http(s) origin, like https://finch.example.com (got "${endpoint}").`;
  return null;
}

/** Calls on the control plane at `endpoint` (an origin, a trailing slash or not) with `token`. */
export function rolloutApi(endpoint: string, token: string): RolloutApi {
  const api = `${endpoint.replace(/\/+$/, '')}/api/v1`;
  const call = async (method: string, path: string, ok: number, body?: unknown): Promise<unknown> => {
    const r = await apiRequest(method, `${api}${path}`, token, body === undefined ? undefined : { data: JSON.stringify(body), type: 'application/json' });
    if (r.status !== ok) throw refusal(r);
    return r.json;
  };
  return {
    get: async (id) => asRollout(await call('GET', `/rollouts/${id}`, 200)),
    list: async (product) => asRolloutList(await call('GET', `/products/${encodeURIComponent(product)}/rollouts`, 200)),
    start: async (plan) => asRollout(await call('POST', '/rollouts', 201, plan)),
    command: async (id, cmd) => asRollout(await call('POST', `/rollouts/${id}/${cmd}`, 200)),
    async version(resourceId) {
      const r = await apiRequest('GET', `${api}/resources/${resourceId}`, token).catch(() => null);
      return r?.status === 200 && isObj(r.json) && typeof r.json['version'] === 'string' ? r.json['version'] : null;
    },
    async versions(product) {
      const r = await apiRequest('GET', `${api}/products/${encodeURIComponent(product)}/resources`, token).catch(() => null);
      const list = r?.status === 200 && isObj(r.json) && Array.isArray(r.json['resources']) ? r.json['resources'] : [];
      return new Map(list.filter(isObj).filter((b) => typeof b['id'] === 'number' && typeof b['version'] === 'string').map((b) => [b['id'] as number, b['version'] as string]));
    },
  };
}
