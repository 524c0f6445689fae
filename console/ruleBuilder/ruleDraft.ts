// Pure pieces of the rule builder: the kinds of node it can add, an empty node of each, how pasted
// user ids and IP ranges are split, and how a typed value becomes a rule value.
import type { Operator, Rule, RuleValue } from '../../core/rules/Rule.js';

export type NodeKind = 'users' | 'percent' | 'attr' | 'ip' | 'all' | 'any' | 'not';
export const NODE_KINDS: readonly NodeKind[] = ['users', 'percent', 'attr', 'ip', 'all', 'any', 'not'];

/** Every operator of the rule language, in the order the builder lists them. */
export const OPERATORS: readonly Operator[] = [
  'eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', 'endsWith',
  'gt', 'gte', 'lt', 'lte', 'semverGt', 'semverGte', 'semverLt', 'semverLte', 'exists',
];

/** Attribute names the server fills itself, offered as suggestions (any other name works too). */
export const KNOWN_ATTRIBUTES: readonly string[] = ['userId', 'ip', 'deviceId', 'group', 'appVersion', 'header.', 'cookie.', 'claim.'];

export function kindOf(rule: Rule): NodeKind {
  if ('all' in rule) return 'all';
  if ('any' in rule) return 'any';
  if ('not' in rule) return 'not';
  if ('users' in rule) return 'users';
  if ('percent' in rule) return 'percent';
  if ('ip' in rule) return 'ip';
  return 'attr';
}

/** A fresh node of `kind`; groups start with one user list so they are valid at once. */
export function emptyNode(kind: NodeKind): Rule {
  switch (kind) {
    case 'users': return { users: [] };
    case 'percent': return { percent: 0 };
    case 'attr': return { attr: 'group', op: 'eq', value: '' };
    case 'ip': return { ip: [] };
    case 'all': return { all: [{ users: [] }] };
    case 'any': return { any: [{ users: [] }] };
    case 'not': return { not: { users: [] } };
  }
}

/**
 * Splits pasted text into entries: commas, spaces, tabs and new lines all separate, blanks drop out,
 * and repeats are kept once (first place wins).
 * @example splitList('alice, bob\ncarol  alice') // ['alice', 'bob', 'carol']
 */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((s) => s !== ''))];
}

const NUMERIC_OPS: ReadonlySet<Operator> = new Set(['gt', 'gte', 'lt', 'lte']);

/**
 * A typed value as a rule value: for the ordering operators a number when the text reads as one
 * (so `10` compares as ten, not as text), otherwise the text as it is.
 */
export function toRuleValue(text: string, op: Operator): RuleValue {
  if (NUMERIC_OPS.has(op) && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** An attr node's values as the text shown in its input: one value, or several joined by ", ". */
export function valuesText(node: { value?: RuleValue; values?: RuleValue[] }): string {
  if (node.values) return node.values.map(String).join(', ');
  return node.value === undefined ? '' : String(node.value);
}

/**
 * Sets an attr node's operator and value text. `in`/`notIn` and text with commas take `values`;
 * `exists` takes none.
 */
export function setAttr(attr: string, op: Operator, text: string): Rule {
  if (op === 'exists') return { attr, op };
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (op === 'in' || op === 'notIn' || parts.length > 1) return { attr, op, values: parts.map((p) => toRuleValue(p, op)) };
  return { attr, op, value: toRuleValue(text.trim(), op) };
}

/**
 * The rule after choosing `kind` for it: the same kind keeps it; a group or `not` wraps it, so
 * nothing typed is lost; any other kind starts empty.
 * @example changeKind({ users: ['alice'] }, 'any') // { any: [{ users: ['alice'] }] }
 */
export function changeKind(rule: Rule | null, kind: NodeKind): Rule {
  if (rule === null) return emptyNode(kind);
  if (kindOf(rule) === kind) return rule;
  if (kind === 'all') return { all: [rule] };
  if (kind === 'any') return { any: [rule] };
  if (kind === 'not') return { not: rule };
  return emptyNode(kind);
}
