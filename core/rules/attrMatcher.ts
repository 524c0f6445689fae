/**
 * The `attr` operators of the rule language (docs/rules.md) and how they treat mixed types. Attribute
 * values arrive as strings far more often than not (headers, cookies, query strings), so comparisons
 * with a number in the rule read a numeric string as that number. The rules, in one place:
 * - A missing attribute (absent, null) fails every operator except `exists`, `neq` and `notIn`,
 *   which are exact negations of `eq` and `in` and therefore match it.
 * - `eq`/`in`: numeric equality when either side is a number and the other reads as one ("3" eq 3),
 *   else string equality of both sides (true eq "true").
 * - `contains`/`startsWith`/`endsWith`: case-sensitive, on the attribute as a string; rule values must
 *   be strings.
 * - `gt`/`gte`/`lt`/`lte`: numeric when both sides read as finite numbers, else code-unit order when
 *   both are strings (ISO dates compare right), else no match.
 * - `semverGt`…: both sides parsed by `semver` (a leading "v" is allowed); an attribute that is not a
 *   valid version never matches; rule values must be valid versions.
 * - With `values`, a positive operator matches when any value matches; `neq`/`notIn` when none does.
 */
import semver from 'semver';
import type { SemVer } from 'semver';
import type { Operator, RuleValue } from './Rule.js';

export type Test = (a: RuleValue) => boolean;

export const OPERATORS: ReadonlySet<string> = new Set<Operator>([
  'eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', 'endsWith',
  'gt', 'gte', 'lt', 'lte', 'semverGt', 'semverGte', 'semverLt', 'semverLte', 'exists',
]);

/** A finite number, or NaN for anything that does not read as one ("", " ", "abc", booleans). */
function num(v: RuleValue): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return NaN;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

let lastText: string | null = null;
let lastVersion: SemVer | null = null;

/** semver.parse with a one-entry memo: one request compares the same version against many rules. */
function version(a: RuleValue): SemVer | null {
  if (typeof a !== 'string') return null;
  if (a !== lastText) {
    lastVersion = semver.parse(a);
    lastText = a;
  }
  return lastVersion;
}

/** The comparison an ordering operator asks for, given the sign of attribute minus value. */
function order(op: Operator): (c: number) => boolean {
  return op === 'gt' || op === 'semverGt' ? (c) => c > 0 : op === 'gte' || op === 'semverGte' ? (c) => c >= 0 : op === 'lt' || op === 'semverLt' ? (c) => c < 0 : (c) => c <= 0;
}

/**
 * Builds the test of one operator against one rule value. Returns a reason string when the value does
 * not suit the operator (the caller turns it into `invalid-rule`).
 */
export function makeTest(op: Operator, v: RuleValue): Test | string {
  switch (op) {
    case 'eq':
    case 'neq':
    case 'in':
    case 'notIn': {
      if (typeof v === 'number') return (a) => num(a) === v;
      const s = String(v);
      const n = num(v);
      return typeof v === 'boolean' ? (a) => String(a) === s : (a) => (typeof a === 'number' ? a === n : String(a) === s);
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      if (typeof v !== 'string') return 'a string';
      return op === 'contains' ? (a) => String(a).includes(v) : op === 'startsWith' ? (a) => String(a).startsWith(v) : (a) => String(a).endsWith(v);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof v === 'boolean') return 'a number or a string';
      const cmp = order(op);
      const nv = num(v);
      return (a) => {
        const na = num(a);
        if (na === na && nv === nv) return cmp(na - nv);
        if (typeof a === 'string' && typeof v === 'string') return cmp(a < v ? -1 : a > v ? 1 : 0);
        return false;
      };
    }
    case 'semverGt':
    case 'semverGte':
    case 'semverLt':
    case 'semverLte': {
      const target = typeof v === 'string' ? semver.parse(v) : null;
      if (!target) return 'a valid semantic version like "1.2.3"';
      const cmp = order(op);
      return (a) => {
        const va = version(a);
        return va !== null && cmp(va.compare(target));
      };
    }
    case 'exists':
      return 'absent: exists takes no value';
  }
}
