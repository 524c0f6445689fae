/**
 * The guard's inputs for one stage window, read from the report tables. Reports are anonymous today, so
 * what is counted is reports, not distinct users: `reportFigures` is the one place where report counts
 * become the figures `judgeGuard` takes, and the decision names them as what they are (docs/rollouts.md,
 * "Forged report streams").
 */
import type { BuildFigures, GuardFigures } from '../../core/index.js';
import type { Queryable } from '../db/Db.js';
import { readReportSeries } from '../store/reportBuckets.js';
import { currentFull, getStrategy } from '../store/strategies.js';

/** Client reports of one build in a window, by what they say. */
export interface ReportFigures {
  /** `exposure` reports: a page used the build. */
  exposures: number;
  /** `load-error` and `integrity-error` reports: a page fell back to the stable build. */
  fallbacks: number;
  /** `runtime-error` reports. */
  errors: number;
}

/** Both builds' report counts over the stage window. */
export interface StageWindow {
  /** Epoch ms, the start of the minute the stage started in (report buckets are minutes). */
  from: number;
  /** Epoch ms, now on the database clock. */
  to: number;
  grayResourceId: number;
  gray: ReportFigures;
  /** The product's full build, if it has one (and it is not the gray build). */
  stableResourceId: number | null;
  stable: ReportFigures | null;
}

const MINUTE_MS = 60_000;

/**
 * Report counts as `judgeGuard`'s figures, one report taken as one user. Until reports carry a signed
 * per-user token, a client that repeats a report weighs as many users: the guard counts reports.
 */
export function reportFigures(r: ReportFigures): BuildFigures {
  return { exposedUsers: r.exposures, fallbackUsers: r.fallbacks, errorUsers: r.errors };
}

async function countReports(q: Queryable, resourceId: number, from: number, to: number): Promise<ReportFigures> {
  const rows = await readReportSeries(q, {
    resourceId,
    from: Math.floor(from / MINUTE_MS) * 60,
    // The minute now is in, whole: `to` is exclusive.
    to: Math.floor(to / MINUTE_MS) * 60 + 60,
    bucketSeconds: 60,
  });
  const figures: ReportFigures = { exposures: 0, fallbacks: 0, errors: 0 };
  for (const row of rows) {
    if (row.kind === 'exposure') figures.exposures += row.count;
    else if (row.kind === 'load-error' || row.kind === 'integrity-error') figures.fallbacks += row.count;
    else if (row.kind === 'runtime-error') figures.errors += row.count;
  }
  return figures;
}

/**
 * The reports of the gray build and of the product's full build since the stage started. Buckets are
 * whole minutes, so the window starts at the start of the stage's first minute.
 */
export async function readStageWindow(q: Queryable, r: { productId: number; resourceId: number; stageStartedAt: number }, now: number): Promise<StageWindow> {
  const from = Math.floor(r.stageStartedAt / MINUTE_MS) * MINUTE_MS;
  const full = await currentFull(q, r.productId);
  const stableResourceId = full === null ? null : (await getStrategy(q, full.id)).resourceId;
  const stable = stableResourceId === null || stableResourceId === r.resourceId ? null : stableResourceId;
  return {
    from,
    to: now,
    grayResourceId: r.resourceId,
    gray: await countReports(q, r.resourceId, from, now),
    stableResourceId: stable,
    stable: stable === null ? null : await countReports(q, stable, from, now),
  };
}

/** What a rollout shows beside a decision the guard caused: the report counts and the rates judged. */
export interface DecisionFigures {
  /** What the counts are: reports, not distinct users (docs/rollouts.md). */
  counting: 'reports';
  window: { from: string; to: string };
  gray: BuildDecisionFigures;
  stable: BuildDecisionFigures | null;
  comparedToStable: boolean;
}

export interface BuildDecisionFigures extends ReportFigures {
  resourceId: number;
  /** Shares of the build's reports; null with none. */
  fallbackRate: number | null;
  errorRate: number | null;
}

/** The judged figures under their report names, for the rollout row, the audit log and the API. */
export function decisionFigures(w: StageWindow, judged: GuardFigures): DecisionFigures {
  const build = (resourceId: number, f: GuardFigures['gray']): BuildDecisionFigures => ({
    resourceId, exposures: f.exposedUsers, fallbacks: f.fallbackUsers, errors: f.errorUsers, fallbackRate: f.fallbackRate, errorRate: f.errorRate,
  });
  return {
    counting: 'reports',
    window: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() },
    gray: build(w.grayResourceId, judged.gray),
    stable: judged.stable === null || w.stableResourceId === null ? null : build(w.stableResourceId, judged.stable),
    comparedToStable: judged.comparedToStable,
  };
}

/**
 * core's sentences speak of users; until reports are tied to users, the engine says what it counted.
 */
export const REPORTS_NOTE = ' (Counted from client reports, not distinct users.)';
