/**
 * The guard's judgement of one stage window: the gray build's fallback and error rates, in distinct
 * users, against the plan's limits and, if asked, against the stable build. Counting users rather than
 * reports means a client that sends the same failure a thousand times weighs as one user.
 */
import { FinchError } from '../FinchError.js';
import type { RolloutGuard } from './RolloutPlan.js';

/** Distinct users of one build in the stage window, from client reports. */
export interface BuildFigures {
  /** Users who reported using the build (`exposure`). */
  exposedUsers: number;
  /** Users whose page fell back to the stable build (`load-error`, `integrity-error`). */
  fallbackUsers: number;
  /** Users who reported a `runtime-error`. */
  errorUsers: number;
}

/** The figures a judgement rests on, shown beside it. */
export interface JudgedFigures extends BuildFigures {
  /** Users the rates are shares of: the exposed ones, or more if more reported failing (a lost exposure report). */
  users: number;
  /** null when there are no users to divide by. */
  fallbackRate: number | null;
  errorRate: number | null;
}

export type GuardVerdict = 'pass' | 'breach' | 'wait';

/** Both builds' figures, and whether the stable build had enough users to be compared with. */
export interface GuardFigures {
  gray: JudgedFigures;
  stable: JudgedFigures | null;
  comparedToStable: boolean;
}

export interface GuardJudgement {
  /** `wait`: fewer users than `minExposures` have used the gray build in the window. */
  verdict: GuardVerdict;
  /** A sentence with the numbers, for the rollout row, the audit log and the console. */
  reason: string;
  figures: GuardFigures;
}

/**
 * Rates and limits are decimals such as 0.03; their differences in binary are a hair off (0.03 − 0.02 is
 * 0.009999999999999998), so a difference must pass the tolerance by more than this to count.
 */
const EPSILON = 1e-9;

const pct = (r: number): string => `${Number((r * 100).toFixed(2))}%`;
const points = (d: number): string => {
  const n = Number((d * 100).toFixed(2));
  return `${n} point${n === 1 ? '' : 's'}`;
};
const count = (n: number): string => n.toLocaleString('en');

function judged(f: BuildFigures, which: string): JudgedFigures {
  for (const k of ['exposedUsers', 'fallbackUsers', 'errorUsers'] as const) {
    const v = f[k];
    if (!Number.isSafeInteger(v) || v < 0) throw new FinchError('invalid-input', `Failed to judge the guard: the ${which} build's ${k} must be a count of users (a non-negative integer), not ${String(v)}.`, { field: `${which}.${k}` });
  }
  // A user who reported failing on the build certainly got it, even if their exposure report was lost.
  const users = Math.max(f.exposedUsers, f.fallbackUsers, f.errorUsers);
  return {
    exposedUsers: f.exposedUsers,
    fallbackUsers: f.fallbackUsers,
    errorUsers: f.errorUsers,
    users,
    fallbackRate: users === 0 ? null : f.fallbackUsers / users,
    errorRate: users === 0 ? null : f.errorUsers / users,
  };
}

const METRICS = [
  { rate: 'fallbackRate', users: 'fallbackUsers', max: 'maxFallbackRate', name: 'fallback rate' },
  { rate: 'errorRate', users: 'errorUsers', max: 'maxErrorRate', name: 'error rate' },
] as const;

/**
 * Judges a stage window. `breach` when a gray rate is above its limit, or (`compareToStable`) above the
 * stable build's rate by more than `tolerance`; the stable build is compared only once it too has
 * `minExposures` users. Never `breach` before the gray build has `minExposures` users.
 * @example judgeGuard(guard, { exposedUsers: 500, fallbackUsers: 30, errorUsers: 0 }, null).verdict // 'breach' at a 5% limit
 */
export function judgeGuard(guard: RolloutGuard, gray: BuildFigures, stable: BuildFigures | null): GuardJudgement {
  const g = judged(gray, 'gray');
  const s = stable === null ? null : judged(stable, 'stable');
  const compared = guard.compareToStable && s !== null && s.users >= guard.minExposures;
  const figures: GuardFigures = { gray: g, stable: s, comparedToStable: compared };
  if (g.users < guard.minExposures) {
    return { verdict: 'wait', reason: `Waiting for users: ${count(g.users)} of the ${count(guard.minExposures)} the guard needs have used the gray build in this stage.`, figures };
  }
  const of = (b: JudgedFigures, k: 'fallbackUsers' | 'errorUsers'): string => `${count(b[k])} of ${count(b.users)} users`;
  const breaches: string[] = [];
  const within: string[] = [];
  for (const m of METRICS) {
    const r = g[m.rate] as number;
    const max = guard[m.max];
    if (r > max) breaches.push(`the gray build's ${m.name} is ${pct(r)} (${of(g, m.users)}), above the limit of ${pct(max)}`);
    else within.push(`${m.name} ${pct(r)} (${of(g, m.users)}, limit ${pct(max)})`);
    if (compared) {
      const sr = (s as JudgedFigures)[m.rate] as number;
      if (r - sr > guard.tolerance + EPSILON) {
        breaches.push(`the gray build's ${m.name} is ${pct(r)} (${of(g, m.users)}), ${points(r - sr)} above the stable build's ${pct(sr)} (${of(s as JudgedFigures, m.users)}); the tolerance is ${points(guard.tolerance)}`);
      }
    }
  }
  if (breaches.length > 0) {
    const text = breaches.join('; ');
    return { verdict: 'breach', reason: `Guard breached: ${text}.`, figures };
  }
  let stableNote = '';
  if (compared) {
    const st = s as JudgedFigures;
    stableNote = `; no more than ${points(guard.tolerance)} above the stable build (fallback rate ${pct(st.fallbackRate as number)}, error rate ${pct(st.errorRate as number)}, ${count(st.users)} users)`;
  } else if (guard.compareToStable) {
    stableNote = s === null
      ? '; not compared with the stable build: there are no figures for one'
      : `; not compared with the stable build yet: ${count(s.users)} of its users reported, fewer than ${count(guard.minExposures)}`;
  }
  return { verdict: 'pass', reason: `Guard passed: ${within.join(', ')}${stableNote}.`, figures };
}
