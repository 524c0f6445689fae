/**
 * The guard's inputs for one stage window: the distinct users of the gray build, and of the product's
 * stable build, who reported since the stage started (`report_users`). A user is one that a valid report
 * token names, so a client repeating or making up reports adds nobody (docs/rollouts.md, "Forged report
 * streams"). With FINCH_REPORT_TOKENS=optional an unsigned report counts too, as a user of its own, and
 * the figures say how many of the users are such reports.
 */
import type { BuildFigures, GuardFigures } from '../../core/index.js';
import type { BuildDecisionFigures, DecisionFigures } from '../../core/apiTypes.js';
import type { Queryable } from '../db/Db.js';
import { countReportUsers } from '../store/reportUsers.js';
import { currentFull, getStrategy } from '../store/strategies.js';

/** Distinct users of one build in a window, by what they reported. */
export interface UserFigures {
  /** Users who reported an `exposure`: their page used the build. */
  exposures: number;
  /** Users who reported a `load-error` or `integrity-error`: their page fell back to the stable build. */
  fallbacks: number;
  /** Users who reported a `runtime-error`. */
  errors: number;
  /** How many of the counts above are unsigned reports, one user each (only with FINCH_REPORT_TOKENS=optional). */
  unsigned: number;
}

/** Both builds' users over the stage window. */
export interface StageWindow {
  /** Epoch ms: when the stage started (or was resumed), on the database clock. */
  from: number;
  /** Epoch ms, now on the database clock. */
  to: number;
  grayResourceId: number;
  gray: UserFigures;
  /** The product's full build, if it has one (and it is not the gray build). */
  stableResourceId: number | null;
  stable: UserFigures | null;
  /** Unsigned reports were counted, one user each (FINCH_REPORT_TOKENS=optional). */
  withUnsigned: boolean;
}

/** User counts as `judgeGuard`'s figures. */
export function userFigures(f: UserFigures): BuildFigures {
  return { exposedUsers: f.exposures, fallbackUsers: f.fallbacks, errorUsers: f.errors };
}

async function countUsers(q: Queryable, resourceId: number, from: number, withUnsigned: boolean): Promise<UserFigures> {
  const c = await countReportUsers(q, resourceId, from, withUnsigned);
  return {
    exposures: c.users.exposure,
    fallbacks: c.users.fallback,
    errors: c.users.error,
    unsigned: c.unsigned.exposure + c.unsigned.fallback + c.unsigned.error,
  };
}

/** The users of the gray build and of the product's full build who reported since the stage started. */
export async function readStageWindow(
  q: Queryable,
  r: { productId: number; resourceId: number; stageStartedAt: number },
  now: number,
  withUnsigned: boolean,
): Promise<StageWindow> {
  const from = r.stageStartedAt;
  const full = await currentFull(q, r.productId);
  const stableResourceId = full === null ? null : (await getStrategy(q, full.id)).resourceId;
  const stable = stableResourceId === null || stableResourceId === r.resourceId ? null : stableResourceId;
  return {
    from,
    to: now,
    grayResourceId: r.resourceId,
    gray: await countUsers(q, r.resourceId, from, withUnsigned),
    stableResourceId: stable,
    stable: stable === null ? null : await countUsers(q, stable, from, withUnsigned),
    withUnsigned,
  };
}

/** The judged figures, for the rollout row, the audit log, the webhook events and the API. */
export function decisionFigures(w: StageWindow, judged: GuardFigures): DecisionFigures {
  const build = (resourceId: number, counted: UserFigures, f: GuardFigures['gray']): BuildDecisionFigures => ({
    resourceId, ...counted, fallbackRate: f.fallbackRate, errorRate: f.errorRate,
  });
  return {
    counting: w.withUnsigned ? 'users-and-unsigned-reports' : 'users',
    window: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() },
    gray: build(w.grayResourceId, w.gray, judged.gray),
    stable: judged.stable === null || w.stable === null || w.stableResourceId === null ? null : build(w.stableResourceId, w.stable, judged.stable),
    comparedToStable: judged.comparedToStable,
  };
}

/** What a decision's sentence adds when unsigned reports were among the users it counted. */
export function unsignedNote(w: StageWindow): string {
  const n = w.gray.unsigned + (w.stable?.unsigned ?? 0);
  return n === 0 ? '' : ` (${n} of the users counted are unsigned reports, one user each: FINCH_REPORT_TOKENS=optional.)`;
}
