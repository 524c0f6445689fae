// Turns `GET /api/v1/reports/series` into what the charts draw: one chart per kind of event, one line
// per build, a value for every bucket of the window (a bucket nobody reported in is a real 0, not a
// gap). Pure, so the numbers on screen are tested without a browser.
import type { TimeWindow } from './timeRange.js';

export interface ReportSeries {
  resourceId: number;
  version: string;
  kind: string;
  /** `[epochSeconds, count]`, the bucket's start and the reports counted in it. */
  points: ReadonlyArray<readonly [number, number]>;
}

/**
 * What the charts show. A gray build that fails to load (or fails its integrity check) makes the
 * page fall back to the stable build, and the SDK reports that failure: those two kinds are the
 * fallbacks. Runtime errors are the build's own failures after it loaded.
 */
export type ChartGroup = 'exposures' | 'fallbacks' | 'errors';

export const GROUP_KINDS: Readonly<Record<ChartGroup, readonly string[]>> = {
  exposures: ['exposure'],
  fallbacks: ['load-error', 'integrity-error'],
  errors: ['runtime-error'],
};

export const GROUPS: readonly ChartGroup[] = ['exposures', 'fallbacks', 'errors'];

/** `stable`: served by the product's full strategy; `gray`: by a gray one; `other`: by none now. */
export type BuildRole = 'stable' | 'gray' | 'other';

export interface BuildInfo {
  resourceId: number;
  version: string;
  role: BuildRole;
}

export interface ChartLine {
  build: BuildInfo;
  /** One count per bucket, in the order of the chart's `x`. */
  values: number[];
  total: number;
}

export interface ChartModel {
  group: ChartGroup;
  /** Bucket starts, epoch seconds. */
  x: number[];
  lines: ChartLine[];
  total: number;
}

const ROLE_ORDER: Record<BuildRole, number> = { stable: 0, gray: 1, other: 2 };

/**
 * One chart per group. Lines: the stable and gray builds (always, so gray sits beside stable even
 * when one of them has no reports yet), then any other build that has reports in the window.
 * `current`: the builds the product's strategies serve now, by resource id.
 */
export function chartModels(series: readonly ReportSeries[], current: ReadonlyMap<number, BuildInfo>, window: TimeWindow): ChartModel[] {
  const { from, to, bucketSeconds } = window;
  const x: number[] = [];
  for (let t = from; t < to; t += bucketSeconds) x.push(t);

  const builds = new Map(current);
  for (const s of series) {
    if (!builds.has(s.resourceId) && s.points.some(([t, n]) => n > 0 && t >= from && t < to)) {
      builds.set(s.resourceId, { resourceId: s.resourceId, version: s.version, role: 'other' });
    }
  }
  const ordered = [...builds.values()].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || b.resourceId - a.resourceId);

  return GROUPS.map((group) => {
    const kinds = GROUP_KINDS[group];
    const lines = ordered.map((build) => {
      const values = x.map(() => 0);
      for (const s of series) {
        if (s.resourceId !== build.resourceId || !kinds.includes(s.kind)) continue;
        for (const [t, n] of s.points) {
          if (t < from || t >= to) continue;
          const i = Math.floor((t - from) / bucketSeconds);
          values[i] = values[i]! + n;
        }
      }
      return { build, values, total: values.reduce((a, b) => a + b, 0) };
    });
    return { group, x, lines, total: lines.reduce((a, l) => a + l.total, 0) };
  });
}

/** The buckets in which some line has a count: the rows of the chart's data table. */
export function nonEmptyRows(model: ChartModel): Array<{ t: number; values: number[] }> {
  const rows: Array<{ t: number; values: number[] }> = [];
  model.x.forEach((t, i) => {
    const values = model.lines.map((l) => l.values[i]!);
    if (values.some((v) => v > 0)) rows.push({ t, values });
  });
  return rows;
}

/** The builds a product's strategies serve now: its full strategy's build is stable, gray ones gray. */
export function currentBuilds(
  strategies: ReadonlyArray<{ resourceId: number; status: string }>,
  versions: ReadonlyMap<number, string>,
): Map<number, BuildInfo> {
  const out = new Map<number, BuildInfo>();
  for (const s of strategies) {
    if (s.status !== 'full' && s.status !== 'gray') continue;
    const role: BuildRole = s.status === 'full' ? 'stable' : 'gray';
    // A build both full and gray (an odd but legal setup) is the stable one.
    if (out.get(s.resourceId)?.role === 'stable') continue;
    out.set(s.resourceId, { resourceId: s.resourceId, version: versions.get(s.resourceId) ?? `#${s.resourceId}`, role });
  }
  return out;
}
