// A rule (docs/rules.md) in a few words, for lists where the JSON would not fit: "alice and 2 more",
// "10% of users", "group = beta", "any of: …". Pure: the language is an argument, so it is tested as
// a table. Long lists are cut to their first few entries plus a count.
import type { Operator, Rule, RuleValue } from '../core/rules/Rule.js';
import type { Lang } from './i18n.js';

/** How many entries of a list are named before "and N more". */
const SHOWN = 3;

interface Words {
  nobody: string;
  noUsers: string;
  two: (a: string, b: string) => string;
  more: (names: string, n: number) => string;
  moreItems: (items: string, n: number) => string;
  percent: (p: string) => string;
  ip: (ranges: string) => string;
  exists: (attr: string) => string;
  in: string;
  notIn: string;
  or: string;
  listSep: string;
  groupSep: string;
  all: string;
  any: string;
  not: (inner: string) => string;
  semver: string;
  op: Record<Exclude<Operator, 'exists' | 'in' | 'notIn'>, string>;
}

const SYMBOLS = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', semverGt: '>', semverGte: '≥', semverLt: '<', semverLte: '≤' } as const;

const WORDS: Record<Lang, Words> = {
  en: {
    nobody: 'nobody',
    noUsers: 'no users',
    two: (a, b) => `${a} and ${b}`,
    more: (names, n) => `${names} and ${n} more`,
    moreItems: (items, n) => `${items} and ${n} more`,
    percent: (p) => `${p}% of users`,
    ip: (ranges) => `IP in ${ranges}`,
    exists: (attr) => `${attr} is set`,
    in: 'in',
    notIn: 'not in',
    or: ' or ',
    listSep: ', ',
    groupSep: '; ',
    all: 'all of: ',
    any: 'any of: ',
    not: (inner) => `not (${inner})`,
    semver: ' (version)',
    op: { ...SYMBOLS, contains: 'contains', startsWith: 'starts with', endsWith: 'ends with' },
  },
  zh: {
    nobody: '无人',
    noUsers: '没有用户',
    two: (a, b) => `${a} 和 ${b}`,
    more: (names, n) => `${names} 等另外 ${n} 人`,
    moreItems: (items, n) => `${items} 等另外 ${n} 项`,
    percent: (p) => `${p}% 的用户`,
    ip: (ranges) => `IP 属于 ${ranges}`,
    exists: (attr) => `${attr} 已设置`,
    in: '属于',
    notIn: '不属于',
    or: ' 或 ',
    listSep: '、',
    groupSep: '；',
    all: '同时满足：',
    any: '满足任一：',
    not: (inner) => `不满足（${inner}）`,
    semver: '（按版本号）',
    op: { ...SYMBOLS, contains: '包含', startsWith: '开头是', endsWith: '结尾是' },
  },
};

/** The first few entries of `items` joined by `sep`, then "and N more". */
function shortList(items: readonly string[], w: Words, sep: string): string {
  if (items.length <= SHOWN) return items.join(sep);
  return w.moreItems(items.slice(0, SHOWN).join(sep), items.length - SHOWN);
}

function userWords(users: readonly string[], w: Words): string {
  if (users.length === 0) return w.noUsers;
  if (users.length === 1) return users[0]!;
  if (users.length === 2) return w.two(users[0]!, users[1]!);
  // One name, then a count: the list is usually long, and the first name is enough to recognise it.
  return w.more(users[0]!, users.length - 1);
}

function formatPercent(p: number): string {
  // Steps of 0.01: show at most two decimals, without trailing zeros.
  return String(Math.round(p * 100) / 100);
}

function valueWords(v: RuleValue): string {
  return typeof v === 'string' ? v : String(v);
}

function attrWords(node: { attr: string; op: Operator; value?: RuleValue; values?: RuleValue[] }, w: Words): string {
  const { attr, op } = node;
  if (op === 'exists') return w.exists(attr);
  const values = node.values ?? (node.value === undefined ? [] : [node.value]);
  const many = values.length > 1;
  const negative = op === 'neq' || op === 'notIn';
  if (op === 'in' || op === 'notIn' || (many && (op === 'eq' || op === 'neq'))) {
    if (!many) return `${attr} ${negative ? SYMBOLS.neq : SYMBOLS.eq} ${valueWords(values[0] ?? '')}`;
    return `${attr} ${negative ? w.notIn : w.in} ${shortList(values.map(valueWords), w, w.listSep)}`;
  }
  const shown = shortList(values.map(valueWords), w, w.or);
  const suffix = op.startsWith('semver') ? w.semver : '';
  return `${attr} ${w.op[op]} ${shown}${suffix}`;
}

function words(rule: Rule, w: Words, nested: boolean): string {
  if ('all' in rule || 'any' in rule) {
    const [head, parts] = 'all' in rule ? [w.all, rule.all] : [w.any, rule.any];
    // A group of one says the same as its member.
    if (parts.length === 1) return words(parts[0]!, w, nested);
    const inner = head + parts.map((p) => words(p, w, true)).join(w.groupSep);
    return nested ? `(${inner})` : inner;
  }
  if ('not' in rule) return w.not(words(rule.not, w, false));
  if ('users' in rule) return userWords(rule.users, w);
  if ('percent' in rule) return w.percent(formatPercent(rule.percent));
  if ('ip' in rule) return w.ip(shortList(rule.ip, w, w.listSep));
  return attrWords(rule, w);
}

/**
 * The rule in words in `lang`; null (a gray strategy without a rule) matches nobody.
 * @example ruleWords({ users: ['alice', 'bob', 'carol'] }, 'en') // 'alice and 2 more'
 */
export function ruleWords(rule: Rule | null | undefined, lang: Lang): string {
  const w = WORDS[lang];
  if (rule == null) return w.nobody;
  return words(rule, w, false);
}
