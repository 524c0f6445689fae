// The guard beside the figures of its last decision: per figure, the plan's limit, the gray build's
// value, the stable build's, and whether the value broke the limit. Pure. The figures arrive as JSON the
// server may grow, so `readFigures` takes only the known fields and gives null for anything it cannot
// read, rather than drawing a wrong number.
import type { BuildDecisionFigures, DecisionFigures } from '../../core/apiTypes.js';
import type { RolloutGuard } from '../../core/rollout/RolloutPlan.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isRate = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1);

function readBuild(v: unknown): BuildDecisionFigures | null {
  if (!isRecord(v)) return null;
  const { resourceId, exposures, fallbacks, errors, fallbackRate, errorRate, unsigned } = v;
  if (!isCount(resourceId) || !isCount(exposures) || !isCount(fallbacks) || !isCount(errors) || !isRate(fallbackRate) || !isRate(errorRate)) return null;
  return { resourceId, exposures, fallbacks, errors, fallbackRate, errorRate, ...(isCount(unsigned) ? { unsigned } : {}) };
}

/** A decision's `figures` when they hold a readable gray build; null otherwise (no judgement caused it). */
export function readFigures(raw: unknown): DecisionFigures | null {
  if (!isRecord(raw)) return null;
  const gray = readBuild(raw['gray']);
  if (gray === null) return null;
  const w = raw['window'];
  const window = isRecord(w) && typeof w['from'] === 'string' && typeof w['to'] === 'string' ? { from: w['from'], to: w['to'] } : { from: '', to: '' };
  return {
    counting: typeof raw['counting'] === 'string' ? raw['counting'] : '',
    window,
    gray,
    stable: readBuild(raw['stable']),
    comparedToStable: raw['comparedToStable'] === true,
  };
}

/**
 * `too-few`: fewer exposures than the guard needs (it waits); `over-limit`: a rate above its maximum;
 * `over-stable`: a rate above the stable build's by more than the tolerance; null: nothing to judge.
 */
export type LineVerdict = 'ok' | 'too-few' | 'over-limit' | 'over-stable' | null;

export interface GuardLine {
  figure: 'exposures' | 'fallbackRate' | 'errorRate';
  /** `minExposures`, or the rate's maximum (a fraction). */
  limit: number;
  /** The gray build's count (exposures) or rate, with the count behind a rate; null without figures. */
  gray: { value: number | null; count: number } | null;
  stable: { value: number | null; count: number } | null;
  verdict: LineVerdict;
}

/**
 * Rates and limits are decimals whose binary differences are a hair off (0.03 − 0.02 is
 * 0.009999999999999998): as in core's judgeGuard, a difference must pass the tolerance by more than this.
 */
const EPSILON = 1e-9;

/** The guard's three lines, judged against `figures` when there are some. */
export function guardLines(guard: RolloutGuard, figures: DecisionFigures | null): GuardLine[] {
  const gray = figures?.gray ?? null;
  const stable = figures?.stable ?? null;
  const exposures: GuardLine = {
    figure: 'exposures',
    limit: guard.minExposures,
    gray: gray && { value: gray.exposures, count: gray.exposures },
    stable: stable && { value: stable.exposures, count: stable.exposures },
    // The guard counts a build's users as its exposures, or more if more reported failing (judgeGuard).
    verdict: gray === null ? null : Math.max(gray.exposures, gray.fallbacks, gray.errors) < guard.minExposures ? 'too-few' : 'ok',
  };
  const rate = (figure: 'fallbackRate' | 'errorRate', limit: number, count: 'fallbacks' | 'errors'): GuardLine => {
    const g = gray?.[figure] ?? null;
    const s = stable?.[figure] ?? null;
    let verdict: LineVerdict = null;
    if (g !== null) {
      if (g > limit) verdict = 'over-limit';
      else if (figures?.comparedToStable && s !== null && g - s > guard.tolerance + EPSILON) verdict = 'over-stable';
      else verdict = 'ok';
    }
    return { figure, limit, gray: gray && { value: g, count: gray[count] }, stable: stable && { value: s, count: stable[count] }, verdict };
  };
  return [exposures, rate('fallbackRate', guard.maxFallbackRate, 'fallbacks'), rate('errorRate', guard.maxErrorRate, 'errors')];
}

/** How many of a decision's counted users are unsigned reports, one user each. */
export function unsignedUsers(f: DecisionFigures): number {
  return (f.gray.unsigned ?? 0) + (f.stable?.unsigned ?? 0);
}
