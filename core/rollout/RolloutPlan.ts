/**
 * A staged rollout's plan (docs/rollouts.md), as types: how a build's audience grows stage by stage,
 * what the guard watches, and what a breach does. `validatePlan` checks unknown JSON against it and
 * fills every default, so code past it never meets an absent field.
 */
import type { Operator, RuleValue } from '../rules/Rule.js';

/** A post-deploy check: an HTTP URL the server calls before the stage advances; it must answer 2xx. */
export interface StageCheck {
  url: string;
  /** @default 10 */
  timeoutSeconds: number;
}

/** One step of a percent rollout: `percent` of users (sticky buckets) for at least `holdSeconds`. */
export interface PercentStage {
  percent: number;
  holdSeconds: number;
  check: StageCheck | null;
}

/** One group of users a batch rollout names: a user list, or everyone an attribute test matches. */
export type RolloutTarget =
  | { users: string[] }
  | { attribute: { attr: string; op: Operator; value?: RuleValue; values?: RuleValue[] } };

/**
 * A batch rollout: `targets` in order, `combine` of them per batch, `schedule` more batches live at
 * each stage. Every stage holds `holdSeconds` and runs `check`, if any.
 */
export interface BatchStages {
  batches: { combine: number; schedule: number; targets: RolloutTarget[] };
  holdSeconds: number;
  check: StageCheck | null;
}

/**
 * What the gray build must keep to, judged over each stage's window from client reports, counted in
 * distinct users. Rates are fractions (0.02 is 2 %).
 */
export interface RolloutGuard {
  /** Users who must have used the gray build in the window before the guard judges at all. */
  minExposures: number;
  /** The most the share of gray users who fell back to the stable build may be. */
  maxFallbackRate: number;
  /** The most the share of gray users who reported a runtime error may be. */
  maxErrorRate: number;
  /** Also breach when a gray rate is above the stable build's rate by more than `tolerance`. */
  compareToStable: boolean;
  /** In rate points (0.01 is one percentage point). @default 0.01 */
  tolerance: number;
}

export type OnBreach = 'pause' | 'rollback';

export interface RolloutPlan {
  product: string;
  /** The gray build: a build of `product`. */
  resourceId: number;
  stages: PercentStage[] | BatchStages;
  /** null: stages advance on time and checks alone. */
  guard: RolloutGuard | null;
  /** A breach means real users fail: take the build back from them unless told to pause. @default 'rollback' */
  onBreach: OnBreach;
  /** Orders this rollout's gray strategy against other rollouts of the product (`rank`). @default 0 */
  priority: number;
  /** Salt of the percent buckets, the same at every stage. @default `rollout-<resourceId>` */
  salt: string;
}

/** Size limits of a plan; a plan past any of them is refused with `invalid-input` and `details.limit`. */
export const ROLLOUT_LIMITS = {
  /** Stages of a plan, counting those a batch plan makes. */
  stages: 20,
  /** Targets of a batch plan: each becomes one node of the stage rule. */
  targets: 200,
  /** User ids and attribute values of all targets together. */
  entries: 10_000,
  /** The longest user id a manifest request may carry. */
  userId: 256,
  /** Attribute names and string values. */
  text: 256,
  checkUrl: 2_048,
  checkTimeoutSeconds: 60,
  /** Thirty days: a longer hold is a paused rollout. */
  holdSeconds: 30 * 86_400,
  minExposures: 10_000_000,
  salt: 200,
  /** Rollout priorities run from −999 to 999 so that `rank` can place them within strategy priorities. */
  priority: 999,
  /** Rollouts of one product whose gray strategies are live at once (running or paused). */
  activePerProduct: 100,
} as const;
