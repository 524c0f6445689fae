/**
 * Strategies through the previous system's calls (`POST /api/v1/actions`), which named them
 * "ingresses": CreateIngress is createStrategy and UpdateIngress changeStrategy. The statuses
 * `default`, `failure`, `success` are read as everywhere (strategyStatus); ids may come as text; the
 * legacy `rules`, a list of user ids (an array or one comma-separated string), becomes a `users` rule.
 */
import { FinchError } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import { productOfProject } from '../products/projectProduct.js';
import type { AuditActor } from '../store/audit.js';
import type { Strategy } from '../store/strategies.js';
import { changeStrategy, createStrategy, type StrategyFields } from './strategyChanges.js';

/** The fields of CreateIngress and UpdateIngress besides `projectId` and `id`. */
export interface LegacyIngressFields extends Omit<StrategyFields, 'resourceId'> {
  resourceId?: string | number;
  /** User ids: an array, or one comma-separated string. */
  rules?: string | string[] | null;
}

function usersRule(rules: string | string[] | null): unknown {
  if (rules === null) return null;
  const users = (Array.isArray(rules) ? rules : rules.split(',')).map((u) => u.trim()).filter((u) => u !== '');
  return users.length === 0 ? null : { users };
}

function strategyFields(body: LegacyIngressFields): StrategyFields {
  const { rules, resourceId, ...rest } = body;
  if (rules !== undefined && body.rule !== undefined) {
    throw new FinchError('invalid-input', 'Invalid strategy: send either "rules" (the user ids of the legacy calls) or "rule" (a Finch rule), not both.', { field: 'body/rules' });
  }
  return {
    ...rest,
    ...(resourceId !== undefined ? { resourceId: Number(resourceId) } : {}),
    ...(rules !== undefined ? { rule: usersRule(rules) } : {}),
  };
}

export async function createIngress(deps: Pick<ServerDeps, 'db' | 'change'>, projectId: string | number, body: LegacyIngressFields & { resourceId: string | number }, by: AuditActor): Promise<Strategy> {
  const product = await productOfProject(deps.db, projectId);
  return createStrategy(deps, { ...strategyFields(body), product: product.name, resourceId: Number(body.resourceId) }, by);
}

/**
 * The legacy callers never send If-Match, so this change is a read-modify-write of the current
 * version inside one transaction under the product's row lock (as `If-Match: *`): it cannot interleave
 * with another write, but it may overwrite a change the caller never saw. The audit row says so.
 */
export async function updateIngress(deps: Pick<ServerDeps, 'change'>, id: number, body: LegacyIngressFields, by: AuditActor): Promise<Strategy> {
  const noted: AuditActor = { ...by, details: { ...by.details, ifMatch: 'none: read and changed under the product lock, over the current version' } };
  return changeStrategy(deps, id, { any: true, versions: new Set() }, strategyFields(body), noted);
}
