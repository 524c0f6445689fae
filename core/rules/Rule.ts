/** The rule language (docs/rules.md), as types. `compileRule` checks unknown JSON against it. */

export type Operator =
  | 'eq' | 'neq' | 'in' | 'notIn' | 'contains' | 'startsWith' | 'endsWith'
  | 'gt' | 'gte' | 'lt' | 'lte'
  | 'semverGt' | 'semverGte' | 'semverLt' | 'semverLte'
  | 'exists';

export type RuleValue = string | number | boolean;

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | { users: string[] }
  | { percent: number }
  | { ip: string[] }
  | { attr: string; op: Operator; value?: RuleValue; values?: RuleValue[] };

/** Size limits of a rule; a rule past any of them is refused with `rule-too-large`. */
export const RULE_LIMITS = {
  depth: 8,
  nodes: 1_000,
  users: 100_000,
  cidrs: 10_000,
} as const;

/**
 * What a rule is evaluated against. The server fills it from the request: `attributes` holds what the
 * client sent plus `header.<lower-case name>`, `cookie.<name>` and `claim.<name>` entries.
 */
export interface RequestContext {
  userId: string | null;
  /** The client IP as text (IPv4 or IPv6), or null when unknown. */
  ip: string | null;
  attributes: Readonly<Record<string, RuleValue | undefined>>;
}

/** A rule compiled once: user lists are Sets, CIDRs pre-parsed, nothing is parsed per call. */
export type CompiledRule = (ctx: RequestContext) => boolean;
