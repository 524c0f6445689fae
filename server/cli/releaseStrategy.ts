/**
 * `--gray <rule>` and `--full`: the strategy that puts a just-published build in front of users, in
 * the same command. Strategies are an operator's act, so the token is checked first, before anything
 * is published: a publish-only token would otherwise leave a build registered and no strategy.
 */
import { FinchError } from '../../core/FinchError.js';
import { compileRule } from '../../core/rules/compileRule.js';
import { type ApiAnswer, apiRequest, failure } from './apiRequest.js';

export type StrategyPlan = { status: 'gray'; rule: unknown } | { status: 'full' };

/** The strategy asked for, its rule checked here so a typo fails before the upload. */
export function strategyPlan(gray: unknown, full: boolean | undefined): StrategyPlan | null {
  if (gray !== undefined && full === true) {
    throw new FinchError('invalid-input', '--gray and --full both given: a build is either gray for some users or full for everyone. Choose one.');
  }
  if (full === true) return { status: 'full' };
  if (gray === undefined) return null;
  try {
    compileRule(gray, { salt: 'finch-publish-check' });
  } catch (err) {
    throw new FinchError('invalid-rule', `--gray is not a valid rule: ${err instanceof Error ? err.message : String(err)}. See docs/rules.md; for example --gray '{"percent": 5}'.`);
  }
  return { status: 'gray', rule: gray };
}

interface Caller {
  kind?: string;
  role?: string;
  scopes?: string[];
}

/** Refuses, before publishing, a token that may not create strategies for `product`. */
export async function checkMayRelease(api: string, token: string, product: string, plan: StrategyPlan): Promise<void> {
  const who = await apiRequest('GET', `${api}/session`, token);
  if (who.status !== 200) throw new FinchError(who.status === 401 ? 'unauthorized' : 'forbidden', failure('finch publish', 'checking the token', who));
  const caller = who.json as Caller;
  const scopes = caller.scopes ?? [];
  const mayOperate = caller.role === 'operator' || caller.role === 'admin';
  const mayPublish = caller.role === 'admin'
    || scopes.some((s) => s === 'publish' || (s.startsWith('publish:') && s.slice('publish:'.length).split(',').includes(product)));
  if (!mayOperate || !mayPublish) {
    const lacks = [mayPublish ? null : `publish ${product}`, mayOperate ? null : 'create strategies'].filter((x) => x !== null).join(' or ');
    throw new FinchError('forbidden', `--${plan.status} needs a token that may publish and create strategies; this one (scopes: ${scopes.join(' ') || 'none'}) may not ${lacks}. `
      + `Create one with "finch token create --name ci --scope publish:${product} --scope operate", or publish without --${plan.status} and set the strategy in the console.`);
  }
}

/** Creates the strategy serving `resourceId`; a `full` one replaces the product's current full one. */
export function createStrategy(api: string, token: string, product: string, resourceId: number, plan: StrategyPlan): Promise<ApiAnswer> {
  return apiRequest('POST', `${api}/strategies`, token, { data: JSON.stringify({ product, resourceId, ...plan }), type: 'application/json' });
}

/**
 * The strategy already serving `resourceId` as `plan` asks (a CI job run again), or null. Making it
 * again would add a second gray one, or make the build replace itself as full, so that the product's
 * rollback would return to the very same build.
 */
export async function servingAsPlanned(api: string, token: string, product: string, resourceId: number, plan: StrategyPlan): Promise<number | null> {
  const listed = await apiRequest('GET', `${api}/products/${encodeURIComponent(product)}/strategies`, token);
  if (listed.status !== 200) return null;
  const strategies = (listed.json as { strategies: Array<{ id: number; resourceId: number; status: string; rule: unknown }> }).strategies;
  const same = strategies.find((s) => s.resourceId === resourceId && s.status === plan.status
    && (plan.status === 'full' || JSON.stringify(s.rule) === JSON.stringify(plan.rule)));
  return same?.id ?? null;
}
