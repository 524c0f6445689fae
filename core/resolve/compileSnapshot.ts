/**
 * Turns the control plane's rows into what resolution needs, once per committed change: rules compiled,
 * strategies that can never serve dropped, each product's candidates sorted, and every answer object
 * built ahead, so resolving a request only runs rules and picks prebuilt, frozen entries.
 */
import { compileRule } from '../rules/compileRule.js';
import type { CompiledRule } from '../rules/Rule.js';
import { PRODUCT_NAME } from '../manifest.js';
import type { ManifestBuild, ManifestEntry, ScriptKind } from '../manifest.js';
import type { ResourceRow, SnapshotInput, StrategyRow } from '../snapshot.js';
import type { Rule } from '../rules/Rule.js';
import { buildUserIndex } from './userIndex.js';
import type { UserEntries, UserIndex } from './userIndex.js';

/** A strategy that may serve: its resource is deployed. */
export interface Candidate {
  strategyId: number;
  resourceId: number;
  /** Window in epoch ms: from (inclusive) … until (exclusive); ±Infinity when open. */
  from: number;
  until: number;
  match: CompiledRule;
  /** The answer when there is no full strategy in effect (for a full candidate: its answer). */
  alone: ManifestEntry;
  /** For a gray candidate: its answer when `fulls[i]` is the full in effect (index-aligned). */
  withFull: ManifestEntry[];
}

export interface ProductPlan {
  /** This product's number in the snapshot's user index. */
  index: number;
  /** Gray candidates, best first: priority desc, then updatedAt desc, then id desc. */
  grays: Candidate[];
  /**
   * Ascending ordinals (indexes into `grays`) of the gray candidates resolution must evaluate: every
   * one except plain user lists, which `Snapshot.users` answers, and rules that match nobody.
   */
  evaluated: Int32Array;
  /** Full candidates, same order; normally one, several only when the rows disagree or have windows. */
  fulls: Candidate[];
}

/** A compiled, immutable view of one revision; build with `compileSnapshot`, read with `resolveManifest`. */
export interface Snapshot {
  revision: number;
  ttlSeconds: number;
  serviceWorkerEnabled: boolean;
  products: ReadonlyMap<string, ProductPlan>;
  /**
   * user id → the plain user-list gray candidates naming that user, in every product: one probe per
   * request however many lists and ids there are (see userIndex.ts). It keeps a one-entry memo of the
   * last user, the one mutable part of a snapshot: do not freeze it.
   */
  users: UserIndex;
  /**
   * Every attribute name some rule reads (`group`, `header.x-beta`, `cookie.ab`…): a request's headers
   * and cookies need to become attributes only where a name is here.
   */
  attributes: ReadonlySet<string>;
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
  return withScripts({ resourceId: r.id, version: r.version, baseUrl: r.baseUrl, files: [...r.files], integrity: { ...r.integrity } }, r);
}

/**
 * Adds the build's `scripts` from what `finch publish` recorded in its config (`config.finch.scripts`):
 * only kinds clients know, only for the build's own files, so a hand-edited config never makes a
 * manifest clients refuse. Absent when nothing is left.
 */
function withScripts<T extends ManifestBuild>(build: T, r: ResourceRow): T {
  const finch = r.config?.['finch'];
  const recorded = finch !== null && typeof finch === 'object' ? (finch as Record<string, unknown>)['scripts'] : undefined;
  if (recorded === null || typeof recorded !== 'object') return build;
  const own = new Set(r.files);
  const kinds = Object.entries(recorded).filter(
    (pair): pair is [string, ScriptKind] => own.has(pair[0]) && (pair[1] === 'module' || pair[1] === 'classic'),
  );
  if (kinds.length > 0) build.scripts = Object.fromEntries(kinds);
  return build;
}

function entryOf(s: StrategyRow, r: ResourceRow, fallback: ResourceRow | null): ManifestEntry {
  const e: ManifestEntry = withScripts({
    resourceId: r.id,
    version: r.version,
    strategyId: s.id,
    status: s.status === 'gray' ? 'gray' : 'full',
    baseUrl: r.baseUrl,
    files: [...r.files],
    integrity: { ...r.integrity },
    config: structuredCopy(r.config),
    dependencies: [...r.dependencies],
  }, r);
  if (fallback && fallback.id !== r.id) e.fallback = buildOf(fallback);
  return deepFreeze(e);
}

/** Config is stored JSON; a copy keeps the snapshot independent of the rows it was built from. */
function structuredCopy(config: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>;
}

/**
 * The ids of a rule that is nothing but user lists (`users`, an `any` of such rules, an `all` of one),
 * else null: those are answered from the user index. A list combined with anything else is evaluated.
 * Only called on rules that compiled, so the shape is known to be valid.
 */
function plainList(rule: Rule): string[] | null {
  const keys = Object.keys(rule);
  if (keys.length !== 1) return null;
  if ('users' in rule) return rule.users;
  if ('any' in rule) {
    const out: string[] = [];
    for (const r of rule.any) {
      const ids = plainList(r);
      if (ids === null) return null;
      for (const u of ids) out.push(u);
    }
    return out;
  }
  if ('all' in rule && rule.all.length === 1) return plainList(rule.all[0] as Rule);
  return null;
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
  const attributes = new Set<string>();
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
  const entries: UserEntries = { users: [], products: [], ordinals: [] };
  let index = 0;
  for (const [name, slot] of rows) {
    slot.grays.sort(byPreference);
    slot.fulls.sort(byPreference);
    const fullResources = slot.fulls.map((f) => resources.get(f.resourceId) as ResourceRow);
    const evaluated: number[] = [];
    const candidate = (s: StrategyRow, gray: boolean, ordinal: number): Candidate => {
      const r = resources.get(s.resourceId) as ResourceRow;
      let match = always;
      if (gray) {
        match = never;
        if (s.rule !== null) {
          try {
            match = compileRule(s.rule, { salt: s.salt ?? String(s.id), reads: attributes });
          } catch (error) {
            ruleErrors.push({ strategyId: s.id, error });
          }
        }
        const ids = match === never ? null : plainList(s.rule as Rule);
        if (ids !== null) {
          for (const u of ids) {
            entries.users.push(u);
            entries.products.push(index);
            entries.ordinals.push(ordinal);
          }
        } else if (match !== never) {
          evaluated.push(ordinal);
        }
      }
      return {
        strategyId: s.id,
        resourceId: r.id,
        from: s.startsAt ?? -Infinity,
        until: s.endsAt ?? Infinity,
        match,
        alone: entryOf(s, r, null),
        withFull: gray ? fullResources.map((f) => entryOf(s, r, f)) : [],
      };
    };
    const grays = slot.grays.map((s, i) => candidate(s, true, i));
    const fulls = slot.fulls.map((s, i) => candidate(s, false, i));
    products.set(name, { index, grays, evaluated: Int32Array.from(evaluated), fulls });
    index++;
  }
  return {
    revision: input.revision,
    ttlSeconds: input.ttlSeconds,
    serviceWorkerEnabled: input.serviceWorkerEnabled,
    products,
    users: buildUserIndex(entries),
    attributes,
    ruleErrors,
  };
}
