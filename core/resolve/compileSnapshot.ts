/**
 * Turns the control plane's rows into what resolution needs, once per committed change: rules compiled,
 * strategies that can never serve dropped, each product's candidates sorted, and every answer object
 * built ahead, so resolving a request only runs rules and picks prebuilt, frozen entries.
 */
import { compileRule } from '../rules/compileRule.js';
import type { CompiledRule } from '../rules/Rule.js';
import { PRODUCT_NAME } from '../manifest.js';
import type { ManifestBuild, ManifestEntry } from '../manifest.js';
import type { ResourceRow, SnapshotInput, StrategyRow } from '../snapshot.js';

/** A strategy that may serve: its resource is deployed. */
export interface Candidate {
  strategyId: number;
  resourceId: number;
  /** Window in epoch ms: from (inclusive) … until (exclusive); ±Infinity when open. */
  from: number;
  until: number;
  match: CompiledRule;
  /** The rule is a plain user list: resolution asks the product's `byUser` index instead of `match`. */
  byUser: boolean;
  /** The answer when there is no full strategy in effect (for a full candidate: its answer). */
  alone: ManifestEntry;
  /** For a gray candidate: its answer when `fulls[i]` is the full in effect (index-aligned). */
  withFull: ManifestEntry[];
}

export interface ProductPlan {
  /** Gray candidates, best first: priority desc, then updatedAt desc, then id desc. */
  grays: Candidate[];
  /** Full candidates, same order; normally one, several only when the rows disagree or have windows. */
  fulls: Candidate[];
  /**
   * user id → ascending indexes into `grays` of the plain user-list rules naming that user. One lookup
   * per product instead of one per strategy: with tens of lists of thousands of ids, separate Sets
   * cost a cache miss each.
   */
  byUser: ReadonlyMap<string, readonly number[]>;
}

/** A compiled, immutable view of one revision; build with `compileSnapshot`, read with `resolveManifest`. */
export interface Snapshot {
  revision: number;
  ttlSeconds: number;
  serviceWorkerEnabled: boolean;
  products: ReadonlyMap<string, ProductPlan>;
  /** Stored gray rules that failed to compile; those strategies match nobody. */
  ruleErrors: readonly { strategyId: number; error: unknown }[];
}

const never: CompiledRule = () => false;
const always: CompiledRule = () => true;

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function buildOf(r: ResourceRow): ManifestBuild {
  return { resourceId: r.id, version: r.version, baseUrl: r.baseUrl, files: [...r.files], integrity: { ...r.integrity } };
}

function entryOf(s: StrategyRow, r: ResourceRow, fallback: ResourceRow | null): ManifestEntry {
  const e: ManifestEntry = {
    resourceId: r.id,
    version: r.version,
    strategyId: s.id,
    status: s.status === 'gray' ? 'gray' : 'full',
    baseUrl: r.baseUrl,
    files: [...r.files],
    integrity: { ...r.integrity },
    config: structuredCopy(r.config),
    dependencies: [...r.dependencies],
  };
  if (fallback && fallback.id !== r.id) e.fallback = buildOf(fallback);
  return deepFreeze(e);
}

/** Config is stored JSON; a copy keeps the snapshot independent of the rows it was built from. */
function structuredCopy(config: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>;
}

function byPreference(a: StrategyRow, b: StrategyRow): number {
  return b.priority - a.priority || b.updatedAt - a.updatedAt || b.id - a.id;
}

/**
 * Compiles the rows of one revision. Never throws for a bad stored rule: that strategy matches nobody and
 * is listed in `ruleErrors`. Products not among `input.products` are absent.
 */
export function compileSnapshot(input: SnapshotInput): Snapshot {
  const resources = new Map<number, ResourceRow>();
  for (const r of input.resources) if (r.status === 'deployed') resources.set(r.id, r);
  const names = new Set(input.products.filter((p) => PRODUCT_NAME.test(p.name)).map((p) => p.name));
  const ruleErrors: { strategyId: number; error: unknown }[] = [];
  const rows = new Map<string, { grays: StrategyRow[]; fulls: StrategyRow[] }>();
  for (const name of names) rows.set(name, { grays: [], fulls: [] });
  for (const s of input.strategies) {
    const r = resources.get(s.resourceId);
    const slot = rows.get(s.product);
    // A strategy serves only its own product's deployed resource; anything else is stale data.
    if (!slot || !r || r.product !== s.product) continue;
    if (s.status === 'gray') slot.grays.push(s);
    else if (s.status === 'full') slot.fulls.push(s);
  }
  const products = new Map<string, ProductPlan>();
  for (const [name, slot] of rows) {
    slot.grays.sort(byPreference);
    slot.fulls.sort(byPreference);
    const fullResources = slot.fulls.map((f) => resources.get(f.resourceId) as ResourceRow);
    const candidate = (s: StrategyRow, gray: boolean): Candidate => {
      const r = resources.get(s.resourceId) as ResourceRow;
      let match = always;
      let byUser = false;
      if (gray) {
        match = never;
        if (s.rule !== null) {
          try {
            match = compileRule(s.rule, { salt: s.salt ?? String(s.id) });
            byUser = Object.keys(s.rule).length === 1 && 'users' in s.rule;
          } catch (error) {
            ruleErrors.push({ strategyId: s.id, error });
          }
        }
      }
      return {
        strategyId: s.id,
        resourceId: r.id,
        from: s.startsAt ?? -Infinity,
        until: s.endsAt ?? Infinity,
        match,
        byUser,
        alone: entryOf(s, r, null),
        withFull: gray ? fullResources.map((f) => entryOf(s, r, f)) : [],
      };
    };
    const grays = slot.grays.map((s) => candidate(s, true));
    const byUser = new Map<string, number[]>();
    grays.forEach((g, i) => {
      if (!g.byUser) return;
      for (const u of (slot.grays[i]?.rule as { users: string[] }).users) {
        const list = byUser.get(u);
        // Indexes arrive in ascending order; a user named twice in one list is recorded once.
        if (!list) byUser.set(u, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
    products.set(name, { grays, fulls: slot.fulls.map((s) => candidate(s, false)), byUser });
  }
  return {
    revision: input.revision,
    ttlSeconds: input.ttlSeconds,
    serviceWorkerEnabled: input.serviceWorkerEnabled,
    products,
    ruleErrors,
  };
}
