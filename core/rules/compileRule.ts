/**
 * Checks a rule (docs/rules.md) and compiles it once into a closure: user lists become Sets, CIDRs
 * prefix Sets, operators pre-bound tests, so evaluating it parses nothing and builds nothing.
 */
import { FinchError } from '../FinchError.js';
import { RULE_LIMITS } from './Rule.js';
import type { CompiledRule, Operator, RequestContext, RuleValue } from './Rule.js';
import { murmur3Prefix, murmur3WithPrefix } from './murmur3.js';
import { addCidr, matcherOf, parseIpCached } from './ipMatcher.js';
import type { IpMatcher } from './ipMatcher.js';
import { OPERATORS, makeTest } from './attrMatcher.js';
import type { Test } from './attrMatcher.js';

type Node = Record<string, unknown>;

interface State {
  saltColon: string;
  /** Attribute names the rule reads, when the caller asked for them. */
  reads: Set<string> | undefined;
  nodes: number;
  /** User ids plus `values` entries: one budget for every list in the rule. */
  items: number;
  cidrs: number;
}

const KINDS = ['all', 'any', 'not', 'users', 'percent', 'ip', 'attr'] as const;
const ATTR_KEYS = new Set(['attr', 'op', 'value', 'values']);

function invalid(path: string, message: string): never {
  throw new FinchError('invalid-rule', `Invalid rule at ${path}: ${message}.`, { path });
}

function tooLarge(path: string, what: string, limit: number): never {
  throw new FinchError('rule-too-large', `Rule too large at ${path}: more than ${limit.toLocaleString('en')} ${what}. Split the audience over several strategies or use a percent or attribute rule.`, { path, limit });
}

function isValue(v: unknown): v is RuleValue {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

/** Reads an attribute of the request; anything that is not a rule value (say a prototype method) is absent. */
function getter(name: string): (ctx: RequestContext) => RuleValue | undefined {
  if (name === 'userId') return (ctx) => ctx.userId ?? undefined;
  if (name === 'ip') return (ctx) => ctx.ip ?? undefined;
  return (ctx) => {
    const v = Object.prototype.hasOwnProperty.call(ctx.attributes, name) ? ctx.attributes[name] : undefined;
    return isValue(v) ? v : undefined;
  };
}

/** The key a percent rule buckets on: the user id, else the `deviceId` attribute; empty means none. */
export function bucketKey(ctx: RequestContext): string | null {
  if (ctx.userId) return ctx.userId;
  const d = Object.prototype.hasOwnProperty.call(ctx.attributes, 'deviceId') ? ctx.attributes.deviceId : undefined;
  return typeof d === 'string' && d !== '' ? d : typeof d === 'number' && Number.isFinite(d) ? String(d) : null;
}

function compileAttr(node: Node, path: string, st: State): CompiledRule {
  for (const k of Object.keys(node)) if (!ATTR_KEYS.has(k)) invalid(`${path}.${k}`, `unknown key "${k}" in an attr rule (allowed: attr, op, value, values)`);
  const name = node.attr;
  if (typeof name !== 'string' || name === '') invalid(`${path}.attr`, 'attr must be a non-empty attribute name');
  const op = node.op;
  if (typeof op !== 'string' || !OPERATORS.has(op)) invalid(`${path}.op`, `op must be one of ${[...OPERATORS].join(', ')}`);
  st.reads?.add(name);
  const get = getter(name);
  if (op === 'exists') {
    if ('value' in node || 'values' in node) invalid(path, 'exists takes neither value nor values');
    return (ctx) => get(ctx) !== undefined;
  }
  const hasValue = 'value' in node;
  if (hasValue === 'values' in node) invalid(path, `${op} needs exactly one of "value" or "values"`);
  let raw: unknown[];
  if (hasValue) {
    raw = [node.value];
  } else {
    if (!Array.isArray(node.values) || node.values.length === 0) invalid(`${path}.values`, 'values must be a non-empty array');
    raw = node.values;
    st.items += raw.length;
    if (st.items > RULE_LIMITS.users) tooLarge(`${path}.values`, 'list entries', RULE_LIMITS.users);
  }
  const tests = raw.map((v, i): Test => {
    const at = hasValue ? `${path}.value` : `${path}.values[${i}]`;
    if (!isValue(v)) invalid(at, 'a value must be a string, a finite number or a boolean');
    const t = makeTest(op as Operator, v);
    if (typeof t === 'string') invalid(at, `${op} needs ${t}`);
    return t;
  });
  const negate = op === 'neq' || op === 'notIn';
  const first = tests[0] as Test;
  const any: Test =
    tests.length === 1
      ? first
      : (a) => {
          for (let i = 0; i < tests.length; i++) if ((tests[i] as Test)(a)) return true;
          return false;
        };
  return negate
    ? (ctx) => {
        const a = get(ctx);
        return a === undefined || !any(a);
      }
    : (ctx) => {
        const a = get(ctx);
        return a !== undefined && any(a);
      };
}

function compileNode(rule: unknown, path: string, depth: number, st: State): CompiledRule {
  if (depth > RULE_LIMITS.depth) tooLarge(path, 'levels of nesting', RULE_LIMITS.depth);
  if (++st.nodes > RULE_LIMITS.nodes) tooLarge(path, 'rule nodes', RULE_LIMITS.nodes);
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) invalid(path, 'a rule must be an object like {"users": [...]} or {"all": [...]}');
  const node = rule as Node;
  const kinds = KINDS.filter((k) => k in node);
  if (kinds.length !== 1) {
    if (kinds.length === 0) {
      const k = Object.keys(node)[0];
      invalid(k === undefined ? path : `${path}.${k}`, `a rule needs one of ${KINDS.join(', ')}`);
    }
    invalid(path, `a rule has exactly one of ${KINDS.join(', ')}; found ${kinds.join(' and ')}`);
  }
  const kind = kinds[0] as (typeof KINDS)[number];
  if (kind === 'attr') return compileAttr(node, path, st);
  for (const k of Object.keys(node)) if (k !== kind) invalid(`${path}.${k}`, `unknown key "${k}" next to "${kind}"`);
  const body = node[kind];
  const at = `${path}.${kind}`;
  switch (kind) {
    case 'all':
    case 'any': {
      if (!Array.isArray(body) || body.length === 0) invalid(at, `${kind} must be a non-empty array of rules`);
      const parts = body.map((r, i) => compileNode(r, `${at}[${i}]`, depth + 1, st));
      if (parts.length === 1) return parts[0] as CompiledRule;
      // Plain loops: every/some would allocate a closure per call on the hot path.
      const n = parts.length;
      return kind === 'all'
        ? (ctx) => {
            for (let i = 0; i < n; i++) if (!(parts[i] as CompiledRule)(ctx)) return false;
            return true;
          }
        : (ctx) => {
            for (let i = 0; i < n; i++) if ((parts[i] as CompiledRule)(ctx)) return true;
            return false;
          };
    }
    case 'not': {
      const inner = compileNode(body, at, depth + 1, st);
      return (ctx) => !inner(ctx);
    }
    case 'users': {
      if (!Array.isArray(body)) invalid(at, 'users must be an array of user id strings');
      st.items += body.length;
      if (st.items > RULE_LIMITS.users) tooLarge(at, 'user ids', RULE_LIMITS.users);
      const set = new Set<string>();
      body.forEach((u, i) => {
        if (typeof u !== 'string' || u === '') invalid(`${at}[${i}]`, 'a user id must be a non-empty string');
        set.add(u);
      });
      return (ctx) => ctx.userId !== null && set.has(ctx.userId);
    }
    case 'percent': {
      // 0.01 steps: a threshold in whole buckets of 10,000; the epsilon forgives 0.07 * 100 = 7.000000000000001.
      const t = typeof body === 'number' ? body * 100 : NaN;
      const threshold = Math.round(t);
      if (!(t >= 0 && t <= 10000) || Math.abs(t - threshold) > 1e-6) invalid(at, 'percent must be a number from 0 to 100 in steps of 0.01');
      const prefix = murmur3Prefix(st.saltColon);
      return (ctx) => {
        const key = bucketKey(ctx);
        return key !== null && murmur3WithPrefix(prefix, key) % 10000 < threshold;
      };
    }
    case 'ip': {
      if (!Array.isArray(body)) invalid(at, 'ip must be an array of CIDRs like "10.0.0.0/8" or "2001:db8::/32"');
      st.cidrs += body.length;
      if (st.cidrs > RULE_LIMITS.cidrs) tooLarge(at, 'CIDRs', RULE_LIMITS.cidrs);
      const m: IpMatcher = { v4: new Map(), v6: new Map() };
      body.forEach((c, i) => {
        if (typeof c !== 'string' || !addCidr(m, c)) invalid(`${at}[${i}]`, `${JSON.stringify(c)} is not a CIDR like "10.0.0.0/8" or "2001:db8::/32"`);
      });
      const match = matcherOf(m);
      return (ctx) => {
        const ip = ctx.ip === null ? null : parseIpCached(ctx.ip);
        return ip !== null && match(ip);
      };
    }
  }
}

/**
 * Checks `rule` whole and compiles it. `salt` seeds the percent buckets (the strategy's salt, by default
 * its id as a decimal string); `reads`, if given, collects the attribute names the rule reads. Throws
 * `invalid-rule` with `details.path` (like `$.all[2].op`) or `rule-too-large` past RULE_LIMITS.
 * @example compileRule({ any: [{ users: ['alice'] }, { percent: 10 }] }, { salt: '7' })(ctx)
 */
export function compileRule(rule: unknown, opts: { salt: string; reads?: Set<string> }): CompiledRule {
  return compileNode(rule, '$', 1, { saltColon: opts.salt + ':', reads: opts.reads, nodes: 0, items: 0, cidrs: 0 });
}
