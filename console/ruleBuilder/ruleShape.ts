// The shape check the JSON view runs before applying an edit, so the builder only ever shows a tree
// it can draw. It checks kinds, keys and value types with the path of the first problem; what needs
// the server's parsers (CIDR syntax, semantic versions, size limits) is checked when saving.
import { OPERATORS } from './ruleDraft.js';

const KINDS = ['all', 'any', 'not', 'users', 'percent', 'ip', 'attr'] as const;
const ATTR_KEYS = new Set(['attr', 'op', 'value', 'values']);

const isValue = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');

/** The first problem of `rule` as `path: what`, or null when the builder can show it. */
export function ruleShapeProblem(rule: unknown, path = '$'): string | null {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return `${path}: a rule is an object like {"users": [...]}`;
  const node = rule as Record<string, unknown>;
  const keys = Object.keys(node);
  const kinds = KINDS.filter((k) => k in node);
  if (kinds.length !== 1) return `${path}: a rule has exactly one of ${KINDS.join(', ')}`;
  const kind = kinds[0]!;
  if (kind === 'attr') {
    const extra = keys.find((k) => !ATTR_KEYS.has(k));
    if (extra !== undefined) return `${path}.${extra}: unknown key`;
    if (typeof node.attr !== 'string' || node.attr === '') return `${path}.attr: a non-empty attribute name`;
    if (typeof node.op !== 'string' || !(OPERATORS as readonly string[]).includes(node.op)) return `${path}.op: one of ${OPERATORS.join(', ')}`;
    if (node.op === 'exists') return 'value' in node || 'values' in node ? `${path}: exists takes no value` : null;
    if (('value' in node) === ('values' in node)) return `${path}: exactly one of "value" or "values"`;
    if ('value' in node) return isValue(node.value) ? null : `${path}.value: a string, number or boolean`;
    const values = node.values;
    if (!Array.isArray(values) || values.length === 0 || !values.every(isValue)) return `${path}.values: a non-empty list of strings, numbers or booleans`;
    return null;
  }
  if (keys.length !== 1) return `${path}: unknown key next to "${kind}"`;
  const body = node[kind];
  switch (kind) {
    case 'all':
    case 'any': {
      if (!Array.isArray(body) || body.length === 0) return `${path}.${kind}: a non-empty list of rules`;
      for (let i = 0; i < body.length; i++) {
        const p = ruleShapeProblem(body[i], `${path}.${kind}[${i}]`);
        if (p) return p;
      }
      return null;
    }
    case 'not': return ruleShapeProblem(body, `${path}.not`);
    case 'users': return isStringList(body) ? null : `${path}.users: a list of user ids`;
    case 'ip': return isStringList(body) ? null : `${path}.ip: a list of CIDRs like "10.0.0.0/8"`;
    case 'percent': return typeof body === 'number' && body >= 0 && body <= 100 ? null : `${path}.percent: a number from 0 to 100`;
  }
}
