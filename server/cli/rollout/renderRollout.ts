/**
 * A rollout as text, computed from the rollout and the local clock alone so a table of cases can test
 * it: the block `status` prints and `--watch` redraws, the one-line summary of `list` and the
 * commands, and the line a log gets at each change.
 */
import { planStage, stageCount } from '../../../core/index.js';
import { describeStage } from '../../../core/rollout/transitions.js';
import type { RolloutInfo } from '../../../core/apiTypes.js';
import { formatDuration } from './formatDuration.js';
import { figureLines, figureSummary, percent } from './guardFigures.js';
import { isObj } from './rolloutAnswer.js';

/** `shop 2.0.0 (resource 42)`, or `shop resource 42` when the version could not be read. */
const buildName = (r: RolloutInfo, version: string | null): string =>
  version === null ? `${r.product} resource ${r.resourceId}` : `${r.product} ${version} (resource ${r.resourceId})`;

/** `running at stage 2 of 3 (10%)`. */
const position = (r: RolloutInfo): string => `${r.state} at ${describeStage(r.plan, r.stageIndex)}`;

function mark(r: RolloutInfo, index: number): string {
  if (index < r.stageIndex || r.state === 'completed') return '✓';
  if (index > r.stageIndex) return ' ';
  return r.state === 'running' || r.state === 'paused' ? '▶' : '✗';
}

/** The current stage's hold against the local clock: never negative, rounded up to the second. */
function holdLeft(r: RolloutInfo, holdSeconds: number, now: number): string {
  if (r.state === 'paused') return 'paused: the hold starts again on resume';
  const left = Math.ceil((Date.parse(r.stageStartedAt) + holdSeconds * 1000 - now) / 1000);
  return left > 0 ? `${formatDuration(left)} left` : 'hold over';
}

function stageLines(r: RolloutInfo, now: number): string[] {
  const plan = r.plan;
  const labels = Array.from({ length: stageCount(plan) }, (_, i) => describeStage(plan, i));
  const width = Math.max(...labels.map((l) => l.length));
  return labels.map((label, i) => {
    const s = planStage(plan, i);
    const live = i === r.stageIndex && (r.state === 'running' || r.state === 'paused');
    const details = [
      `hold ${formatDuration(s.holdSeconds)}`,
      live ? holdLeft(r, s.holdSeconds, now) : null,
      isObj(s.check) && typeof s.check.url === 'string' ? `check ${s.check.url}` : null,
    ].filter((d) => d !== null);
    return `  ${mark(r, i)} ${label.padEnd(width)}  ${details.join(' · ')}`;
  });
}

const points = (d: number): string => {
  const n = Number((d * 100).toFixed(2));
  return `${n} point${n === 1 ? '' : 's'}`;
};

/** What the guard holds the build to, read field by field from the plan. */
function guardLine(plan: unknown): string {
  const p = isObj(plan) ? plan : {};
  const g = p['guard'];
  if (!isObj(g)) return 'no guard: each stage advances once its hold (and check) is through';
  const n = (k: string): number | null => (typeof g[k] === 'number' ? g[k] : null);
  const min = n('minExposures');
  const fallback = n('maxFallbackRate');
  const error = n('maxErrorRate');
  const tolerance = n('tolerance');
  // A limit left out of the plan is 1: a rate of 100 % or less is no limit worth showing.
  const parts = [
    min === null ? null : `at least ${min.toLocaleString('en')} exposures`,
    fallback === null || fallback >= 1 ? null : `fallback rate ≤ ${percent(fallback)}`,
    error === null || error >= 1 ? null : `error rate ≤ ${percent(error)}`,
    g['compareToStable'] === true && tolerance !== null ? `at most ${points(tolerance)} above stable` : null,
  ].filter((x) => x !== null);
  const breach = typeof p['onBreach'] === 'string' ? `; on breach: ${p['onBreach']}` : '';
  return `guard: ${parts.join(', ')}${breach}`;
}

/**
 * The block `status` prints and `--watch` redraws: the rollout, its stages (done ✓, current ▶, ended
 * at ✗), the current hold's time left, the guard, and the last decision with its figures.
 * `now` is the local clock in epoch ms; `version` the build's, if known.
 */
export function renderRollout(r: RolloutInfo, now: number, version: string | null = null): string[] {
  const at = Date.parse(r.decision.at);
  const ago = Number.isNaN(at) ? '' : `, ${formatDuration(Math.max(0, Math.floor((now - at) / 1000)))} ago`;
  return [
    `rollout ${r.id} · ${buildName(r, version)} · ${r.state}`,
    ...stageLines(r, now),
    `  ${guardLine(r.plan)}`,
    `  last decision${ago}: ${r.decision.reason}`,
    ...figureLines(r.decision.figures).map((l) => `  ${l}`),
  ];
}

/** One line for `list` and the commands: `rollout 7 · shop 2.0.0 (resource 42) · paused at stage 2 of 3 (10%)`. */
export function rolloutSummary(r: RolloutInfo, version: string | null = null): string {
  return `rollout ${r.id} · ${buildName(r, version)} · ${position(r)}`;
}

/** The line a log gets when the rollout changed: where it is, why, and the figures it rested on. */
export function changeLine(r: RolloutInfo): string {
  const figures = figureSummary(r.decision.figures);
  return `rollout ${r.id} · ${position(r)}: ${r.decision.reason}${figures === null ? '' : ` [${figures}]`}`;
}
