/**
 * Checks a rollout plan (docs/rollouts.md) whole, the way the server checks a request body: unknown
 * keys are refused, values are never coerced, every count has a limit. It builds a fresh plan from the
 * fields it knows, with defaults filled, so nothing unchecked reaches the engine.
 */
import { FinchError } from '../FinchError.js';
import { PRODUCT_NAME } from '../manifest.js';
import { compileRule } from '../rules/compileRule.js';
import type { Operator, RuleValue } from '../rules/Rule.js';
import { ROLLOUT_LIMITS } from './RolloutPlan.js';
import type { BatchStages, OnBreach, PercentStage, RolloutGuard, RolloutPlan, RolloutTarget, StageCheck } from './RolloutPlan.js';

type Obj = Record<string, unknown>;

/** Path ids have at most 9 digits on the server. */
const MAX_ID = 999_999_999;
const DEFAULT_CHECK_TIMEOUT = 10;
/** One rate point: sampling noise at a few hundred users is about this large for small rates. */
/**
 * What a guard field left out means: judge from 10 users of the gray build (raise it for real traffic:
 * at 10 users one failure is 10 %), no limit on a rate not named (1), no comparison with the stable
 * build, and a tolerance of one percentage point when comparing.
 */
export const DEFAULT_GUARD = { minExposures: 10, tolerance: 0.01 } as const;
/**
 * http(s), a host of letters, digits, dots, hyphens (or a bracketed IPv6 address) with an optional
 * port, then printable ASCII only. No user info: `@` in the authority hides the real host.
 */
const CHECK_URL = /^https?:\/\/[A-Za-z0-9.\-[\]:]+(?:[/?#][\x21-\x7e]*)?$/;

function bad(field: string, want: string, details: Record<string, unknown> = {}): never {
  throw new FinchError('invalid-input', `Invalid rollout plan: ${field} ${want}.`, { field, ...details });
}

function obj(v: unknown, field: string, keys: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, 'must be an object');
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) bad(field === '$' ? k : `${field}.${k}`, `is not a field here (allowed: ${keys.join(', ')})`);
  }
  return v as Obj;
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) {
    bad(field, `must be an integer from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`, { limit: max });
  }
  return v as number;
}

function rate(v: unknown, field: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad(field, 'must be a number from 0 to 1 (a fraction: 0.02 is 2 %)');
  return v;
}

function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || v === '') bad(field, 'must be a non-empty string');
  if (v.length > max) bad(field, `must be at most ${max.toLocaleString('en')} characters`, { limit: max });
  return v;
}

function list(v: unknown, field: string, max: number, what: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) bad(field, `must be a non-empty array of ${what}`);
  if (v.length > max) bad(field, `must hold at most ${max.toLocaleString('en')} ${what}`, { limit: max });
  return v;
}

function check(v: unknown, field: string): StageCheck | null {
  if (v === undefined || v === null) return null;
  const c = obj(v, field, ['url', 'timeoutSeconds']);
  const url = text(c.url, `${field}.url`, ROLLOUT_LIMITS.checkUrl);
  if (!CHECK_URL.test(url)) bad(`${field}.url`, 'must be an http or https URL without user info, spaces or control characters');
  const timeoutSeconds = c.timeoutSeconds === undefined ? DEFAULT_CHECK_TIMEOUT : int(c.timeoutSeconds, `${field}.timeoutSeconds`, 1, ROLLOUT_LIMITS.checkTimeoutSeconds);
  return { url, timeoutSeconds };
}

const hold = (v: unknown, field: string): number => int(v, field, 0, ROLLOUT_LIMITS.holdSeconds);

/** The percent as whole buckets of 10,000, as the percent rule reads it (0.07 × 100 is 7.000000000000001). */
function buckets(v: unknown, field: string): number {
  const t = typeof v === 'number' ? v * 100 : NaN;
  const b = Math.round(t);
  if (!(t > 0 && t <= 10_000) || Math.abs(t - b) > 1e-6) bad(field, 'must be a number above 0 and at most 100, in steps of 0.01');
  return b;
}

function percentStages(v: unknown[]): PercentStage[] {
  let before = 0;
  return v.map((s, i) => {
    const field = `stages[${i}]`;
    const o = obj(s, field, ['percent', 'holdSeconds', 'check']);
    const b = buckets(o.percent, `${field}.percent`);
    // Equal steps would be a stage that adds nobody; a lower one would take users back to stable.
    if (b <= before) bad(`${field}.percent`, `must be above the stage before it (${before / 100})`);
    before = b;
    return { percent: b / 100, holdSeconds: hold(o.holdSeconds, `${field}.holdSeconds`), check: check(o.check, `${field}.check`) };
  });
}

/** One target, counting its list entries into `entries`. */
function target(v: unknown, field: string, entries: { n: number }): RolloutTarget {
  const o = obj(v, field, ['users', 'attribute']);
  if (('users' in o) === ('attribute' in o)) bad(field, 'must have exactly one of users or attribute');
  if ('users' in o) {
    const users = list(o.users, `${field}.users`, ROLLOUT_LIMITS.entries, 'user ids').map((u, j) => text(u, `${field}.users[${j}]`, ROLLOUT_LIMITS.userId));
    entries.n += users.length;
    return { users };
  }
  const a = obj(o.attribute, `${field}.attribute`, ['attr', 'op', 'value', 'values']);
  text(a.attr, `${field}.attribute.attr`, ROLLOUT_LIMITS.text);
  const values: unknown[] = a.values !== undefined ? list(a.values, `${field}.attribute.values`, ROLLOUT_LIMITS.entries, 'values') : 'value' in a ? [a.value] : [];
  values.forEach((x, j) => {
    if (typeof x === 'string' && x.length > ROLLOUT_LIMITS.text) bad(`${field}.attribute.${a.values === undefined ? 'value' : `values[${j}]`}`, `must be at most ${ROLLOUT_LIMITS.text} characters`, { limit: ROLLOUT_LIMITS.text });
  });
  entries.n += values.length;
  // The rule language owns operators and value types; its path ("$.op") names the field here.
  try {
    compileRule(a, { salt: '' });
  } catch (error) {
    if (!(error instanceof FinchError) || error.code !== 'invalid-rule') throw error;
    const path = typeof error.details.path === 'string' ? error.details.path.slice(1) : '';
    bad(`${field}.attribute${path}`, `is not a valid attribute test (${error.message})`);
  }
  const attribute: { attr: string; op: Operator; value?: RuleValue; values?: RuleValue[] } = { attr: a.attr as string, op: a.op as Operator };
  if ('value' in a) attribute.value = a.value as RuleValue;
  if (a.values !== undefined) attribute.values = [...(a.values as RuleValue[])];
  return { attribute };
}

function batchStages(v: Obj): BatchStages {
  const b = obj(v.batches, 'stages.batches', ['combine', 'schedule', 'targets']);
  const raw = list(b.targets, 'stages.batches.targets', ROLLOUT_LIMITS.targets, 'targets');
  const entries = { n: 0 };
  const targets = raw.map((t, i) => target(t, `stages.batches.targets[${i}]`, entries));
  if (entries.n > ROLLOUT_LIMITS.entries) bad('stages.batches.targets', `must name at most ${ROLLOUT_LIMITS.entries.toLocaleString('en')} user ids and values in all`, { limit: ROLLOUT_LIMITS.entries });
  const combine = int(b.combine, 'stages.batches.combine', 1, targets.length);
  const batchCount = Math.ceil(targets.length / combine);
  const schedule = int(b.schedule, 'stages.batches.schedule', 1, batchCount);
  const stages = Math.ceil(batchCount / schedule);
  if (stages > ROLLOUT_LIMITS.stages) {
    bad('stages.batches', `makes ${stages} stages, more than ${ROLLOUT_LIMITS.stages}: combine more targets per batch or schedule more batches per stage`, { limit: ROLLOUT_LIMITS.stages });
  }
  return {
    batches: { combine, schedule, targets },
    holdSeconds: hold(v.holdSeconds, 'stages.holdSeconds'),
    check: check(v.check, 'stages.check'),
  };
}

function guard(v: unknown): RolloutGuard | null {
  if (v === undefined || v === null) return null;
  const g = obj(v, 'guard', ['minExposures', 'maxFallbackRate', 'maxErrorRate', 'compareToStable', 'tolerance']);
  const compareToStable = g.compareToStable ?? false;
  if (typeof compareToStable !== 'boolean') bad('guard.compareToStable', 'must be true or false');
  if (!compareToStable && g.tolerance !== undefined) bad('guard.tolerance', 'applies only with compareToStable: true');
  if (g.maxFallbackRate === undefined && g.maxErrorRate === undefined && !compareToStable) {
    bad('guard', 'must set maxFallbackRate, maxErrorRate or compareToStable: true; a guard with none of them can never breach');
  }
  return {
    minExposures: g.minExposures === undefined ? DEFAULT_GUARD.minExposures : int(g.minExposures, 'guard.minExposures', 1, ROLLOUT_LIMITS.minExposures),
    maxFallbackRate: g.maxFallbackRate === undefined ? 1 : rate(g.maxFallbackRate, 'guard.maxFallbackRate'),
    maxErrorRate: g.maxErrorRate === undefined ? 1 : rate(g.maxErrorRate, 'guard.maxErrorRate'),
    compareToStable,
    tolerance: g.tolerance === undefined ? DEFAULT_GUARD.tolerance : rate(g.tolerance, 'guard.tolerance'),
  };
}

/**
 * Checks `input` as a rollout plan and returns it with defaults filled (no guard, `onBreach: 'rollback'`,
 * priority 0, salt `rollout-<resourceId>`, check timeout 10 s, tolerance 0.01). Throws `invalid-input`
 * with `details.field` (like `stages[2].percent`) and, past a limit, `details.limit`.
 * @example validatePlan({ product: 'shop', resourceId: 7, stages: [{ percent: 5, holdSeconds: 600 }] })
 */
export function validatePlan(input: unknown): RolloutPlan {
  const p = obj(input, '$', ['product', 'resourceId', 'stages', 'guard', 'onBreach', 'priority', 'salt']);
  if (typeof p.product !== 'string' || !PRODUCT_NAME.test(p.product)) bad('product', 'must be a product name: lower-case letters, digits and hyphens, at most 64');
  const resourceId = int(p.resourceId, 'resourceId', 1, MAX_ID);
  let stages: PercentStage[] | BatchStages;
  if (Array.isArray(p.stages)) {
    stages = percentStages(list(p.stages, 'stages', ROLLOUT_LIMITS.stages, 'stages'));
  } else if (typeof p.stages === 'object' && p.stages !== null) {
    stages = batchStages(obj(p.stages, 'stages', ['batches', 'holdSeconds', 'check']));
  } else {
    bad('stages', 'must be an array of percent stages or an object {batches, holdSeconds}');
  }
  const onBreach = p.onBreach === undefined ? 'rollback' : p.onBreach;
  if (onBreach !== 'pause' && onBreach !== 'rollback') bad('onBreach', 'must be "pause" or "rollback"');
  return {
    product: p.product,
    resourceId,
    stages,
    guard: guard(p.guard),
    onBreach: onBreach as OnBreach,
    priority: p.priority === undefined ? 0 : int(p.priority, 'priority', -ROLLOUT_LIMITS.priority, ROLLOUT_LIMITS.priority),
    salt: p.salt === undefined ? `rollout-${resourceId}` : text(p.salt, 'salt', ROLLOUT_LIMITS.salt),
  };
}
