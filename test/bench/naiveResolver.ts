/**
 * The resolver's baseline: what one writes without a compile step. Rules are interpreted from their raw
 * JSON on every call, user lists are scanned as arrays, CIDRs parsed per call, and every strategy row of
 * every product is walked. Resources are looked up in a Map built once, and a gray rule that could not
 * beat the current winner is not evaluated, so the baseline is plain, not a straw man. It returns the
 * same entries as the resolution of docs/rules.md, which also lets the bench cross-check core's answers.
 */
import ipaddr from 'ipaddr.js';
import semver from 'semver';
import type { ManifestBuild, ManifestEntry } from '../../core/manifest.js';
import type { RequestContext, Rule, RuleValue } from '../../core/rules/Rule.js';
import type { ResourceRow, SnapshotInput, StrategyRow } from '../../core/snapshot.js';

export type BucketOf = (salt: string, key: string) => number;

export interface NaiveResolver {
  resolveProduct(product: string, ctx: RequestContext, now: number): ManifestEntry | null;
}

function attrOf(ctx: RequestContext, name: string): RuleValue | undefined {
  if (name === 'userId') return ctx.userId ?? undefined;
  if (name === 'ip') return ctx.ip ?? undefined;
  return ctx.attributes[name];
}

function test(op: string, a: RuleValue | undefined, v: RuleValue): boolean {
  if (a === undefined) return op === 'neq' || op === 'notIn';
  switch (op) {
    case 'eq':
    case 'in':
      return typeof v === 'number' ? Number(a) === v : String(a) === String(v);
    case 'neq':
    case 'notIn':
      return !test('eq', a, v);
    case 'contains':
      return String(a).includes(String(v));
    case 'startsWith':
      return String(a).startsWith(String(v));
    case 'endsWith':
      return String(a).endsWith(String(v));
    case 'gt':
      return Number(a) > Number(v);
    case 'gte':
      return Number(a) >= Number(v);
    case 'lt':
      return Number(a) < Number(v);
    case 'lte':
      return Number(a) <= Number(v);
    case 'semverGt':
    case 'semverGte':
    case 'semverLt':
    case 'semverLte': {
      const av = semver.parse(String(a));
      if (!av) return false;
      const c = semver.compare(av, String(v));
      return op === 'semverGt' ? c > 0 : op === 'semverGte' ? c >= 0 : op === 'semverLt' ? c < 0 : c <= 0;
    }
    default:
      return a !== undefined;
  }
}

// Plain loops, no closures per call: the baseline should pay for interpreting, not for allocation.
function matches(rule: Rule, ctx: RequestContext, salt: string, bucketOf: BucketOf): boolean {
  if ('all' in rule) {
    for (const r of rule.all) if (!matches(r, ctx, salt, bucketOf)) return false;
    return true;
  }
  if ('any' in rule) {
    for (const r of rule.any) if (matches(r, ctx, salt, bucketOf)) return true;
    return false;
  }
  if ('not' in rule) return !matches(rule.not, ctx, salt, bucketOf);
  if ('users' in rule) return ctx.userId !== null && rule.users.includes(ctx.userId);
  if ('percent' in rule) {
    const device = ctx.attributes['deviceId'];
    const key = ctx.userId ?? (device === undefined ? null : String(device));
    return key !== null && bucketOf(salt, key) < rule.percent * 100;
  }
  if ('ip' in rule) {
    if (ctx.ip === null || !ipaddr.isValid(ctx.ip)) return false;
    const addr = ipaddr.process(ctx.ip);
    for (const c of rule.ip) {
      const range = ipaddr.parseCIDR(c);
      if (addr.kind() === range[0].kind() && addr.match(range)) return true;
    }
    return false;
  }
  const a = attrOf(ctx, rule.attr);
  if (rule.op === 'exists') return a !== undefined;
  const values = rule.values ?? (rule.value === undefined ? [] : [rule.value]);
  if (rule.op === 'neq' || rule.op === 'notIn') {
    for (const v of values) if (!test(rule.op, a, v)) return false;
    return true;
  }
  for (const v of values) if (test(rule.op, a, v)) return true;
  return false;
}

export function naiveResolver(input: SnapshotInput, bucketOf: BucketOf): NaiveResolver {
  const resources = new Map<number, ResourceRow>(input.resources.map((r) => [r.id, r]));
  const build = (r: ResourceRow): ManifestBuild => ({ resourceId: r.id, version: r.version, baseUrl: r.baseUrl, files: r.files, integrity: r.integrity });
  return {
    resolveProduct(product, ctx, now) {
      let gray: StrategyRow | null = null;
      let full: StrategyRow | null = null;
      for (const s of input.strategies) {
        if (s.product !== product || s.status === 'off') continue;
        if (resources.get(s.resourceId)?.status !== 'deployed') continue;
        if ((s.startsAt !== null && now < s.startsAt) || (s.endsAt !== null && now >= s.endsAt)) continue;
        if (s.status === 'full') {
          full = s;
          continue;
        }
        if (s.rule === null) continue;
        if (gray && (s.priority < gray.priority || (s.priority === gray.priority && s.updatedAt <= gray.updatedAt))) continue;
        if (matches(s.rule, ctx, s.salt ?? String(s.id), bucketOf)) gray = s;
      }
      const chosen = gray ?? full;
      if (!chosen) return null;
      const r = resources.get(chosen.resourceId)!;
      // Spelled out rather than spread: V8's object spread costs more than the whole decision here.
      const entry: ManifestEntry = {
        resourceId: r.id,
        version: r.version,
        baseUrl: r.baseUrl,
        files: r.files,
        integrity: r.integrity,
        strategyId: chosen.id,
        status: chosen.status === 'gray' ? 'gray' : 'full',
        config: r.config,
        dependencies: r.dependencies,
      };
      if (chosen === gray && full && full.resourceId !== r.id) entry.fallback = build(resources.get(full.resourceId)!);
      return entry;
    },
  };
}
