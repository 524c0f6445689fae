/**
 * The rule (docs/rules.md) a rollout's gray strategy carries at each stage. The engine keeps one gray
 * strategy per rollout and rewrites its rule at each stage, always with the plan's salt: the buckets of
 * a percent rule then stay put, so raising the percent only ever adds users.
 */
import type { Rule } from '../rules/Rule.js';
import { liveTargets, planStage } from './planStages.js';
import type { RolloutPlan, RolloutTarget } from './RolloutPlan.js';

/** What the gray strategy gets at a stage: its rule and the salt of its percent buckets. */
export interface StageRule {
  rule: Rule;
  salt: string;
}

function targetRule(t: RolloutTarget): Rule {
  if ('users' in t) return { users: [...t.users] };
  const { attr, op, value, values } = t.attribute;
  return values !== undefined ? { attr, op, values: [...values] } : value !== undefined ? { attr, op, value } : { attr, op };
}

/**
 * The gray strategy's rule at stage `index` (from 0): `{percent}` for a percent plan, the `any` of the
 * live batches' targets for a batch plan. `invalid-input` past the plan's stages.
 * @example stageRule(plan, 0) // { rule: { percent: 1 }, salt: 'rollout-7' }
 */
export function stageRule(plan: RolloutPlan, index: number): StageRule {
  const stage = planStage(plan, index);
  if (stage.percent !== null) return { rule: { percent: stage.percent }, salt: plan.salt };
  return { rule: { any: liveTargets(plan, index).map(targetRule) }, salt: plan.salt };
}
