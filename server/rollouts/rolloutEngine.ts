/**
 * The engine that advances rollouts by itself. Every tick it asks for the due rollouts (one query) and,
 * for each, reads the row and the database clock in one transaction, judges the stage window, asks
 * core's `nextStep` what to do, and writes that transition by compare-and-set. Nothing lives in memory
 * between ticks, so a restart, or a `kill -9` mid-stage, carries on from the row; and with several
 * processes on one database each transition is written by exactly one of them (the others' writes
 * match no row and roll back).
 */
import { command, FinchError, judgeGuard, nextStep, planStage, type CheckOutcome, type Hold, type Transition } from '../../core/index.js';
import type { ServerDeps } from '../deps.js';
import type { AuditActor } from '../store/audit.js';
import { bumpRevision } from '../store/revision.js';
import { databaseNow, dueRolloutIds, getRollout } from '../store/rollouts.js';
import { decisionFigures, readStageWindow, unsignedNote, userFigures } from './guardInputs.js';
import { applyTransition } from './applyTransition.js';
import { runStageCheck } from './stageCheck.js';

type EngineDeps = Pick<ServerDeps, 'db' | 'snapshot' | 'reports'> & { config: Pick<ServerDeps['config'], 'reportTokens' | 'checkOrigins'> };

/** How the audit log names the engine's own decisions. */
const ENGINE: AuditActor = { actor: 'system' };

export interface EngineOptions {
  /** Between two ticks. */
  tickMs: number;
  /** A tick's failure, logged; the next tick tries again. */
  onError: (err: unknown) => void;
  /** The stage checks' HTTP client. @default fetch */
  fetch?: typeof fetch;
}

/** What one step did: a transition written (`applied`), or lost to another writer, or a wait. */
export type StepResult = { kind: 'applied'; transition: Transition } | { kind: 'lost' } | Hold;

interface Checked {
  outcome: CheckOutcome;
  /** The row version the check was made for: a check made for another stage counts for nothing. */
  version: number;
}

/** A decision, with the row version a wait was decided on, or the reason the gray strategy cannot be served. */
type Decision = (StepResult & { version?: number }) | { kind: 'strategy-off'; reason: string };

async function decide(deps: EngineDeps, id: number, checked: Checked | null): Promise<Decision> {
  try {
    return await decideInTransaction(deps, id, checked);
  } catch (err) {
    // Thrown inside the transaction, so nothing of the transition was written; the caller pauses instead.
    if (err instanceof FinchError && err.code === 'conflict' && err.details['strategyOff'] === true) return { kind: 'strategy-off', reason: err.message };
    throw err;
  }
}

function decideInTransaction(deps: EngineDeps, id: number, checked: Checked | null): Promise<Decision> {
  return deps.db.tx(async (q): Promise<Decision> => {
    const now = await databaseNow(q);
    const row = await getRollout(q, id);
    if (checked !== null && row.version !== checked.version) return { kind: 'lost' };
    const guard = row.plan.guard;
    const window = guard === null ? null : await readStageWindow(q, row, now, deps.config.reportTokens === 'optional');
    const judgement = guard === null || window === null ? null : judgeGuard(guard, userFigures(window.gray), window.stable === null ? null : userFigures(window.stable));
    const step = nextStep(row, now, judgement, checked?.outcome);
    if (step.kind === 'wait') return { ...step, version: row.version };
    const figures = step.figures === null || window === null ? null : decisionFigures(window, step.figures);
    const t: Transition = figures === null || window === null ? step : { ...step, reason: `${step.reason}${unsignedNote(window)}` };
    if (!(await applyTransition(q, row, t, figures, ENGINE))) return { kind: 'lost' };
    await bumpRevision(q);
    return { kind: 'applied', transition: t };
  });
}

/**
 * The gray strategy was turned off under a running rollout (its build failed, or an operator): stop
 * moving rather than serve the build again.
 */
async function pauseForStrategyOff(deps: EngineDeps, id: number, reason: string): Promise<StepResult> {
  return deps.db.tx(async (q): Promise<StepResult> => {
    const row = await getRollout(q, id);
    if (row.state !== 'running') return { kind: 'lost' };
    const t = { ...command(row, 'pause', await databaseNow(q), 'the engine'), reason: `Paused: ${reason}` };
    if (!(await applyTransition(q, row, t, null, ENGINE))) return { kind: 'lost' };
    await bumpRevision(q);
    return { kind: 'applied', transition: t };
  });
}

/**
 * One automatic step of rollout `id`. A stage with a check is called outside any transaction, then
 * decided again with the outcome, and only if the row has not moved meanwhile.
 */
export async function stepRollout(deps: EngineDeps, id: number, fetchFn: typeof fetch = fetch): Promise<StepResult> {
  let decision = await decide(deps, id, null);
  if (decision.kind === 'wait' && decision.needsCheck && decision.version !== undefined) {
    const row = await getRollout(deps.db, id);
    const check = planStage(row.plan, row.stageIndex).check;
    if (check !== null && row.version === decision.version) {
      decision = await decide(deps, id, { outcome: await runStageCheck(check, deps.config.checkOrigins, fetchFn), version: decision.version });
    }
  }
  const result = decision.kind === 'strategy-off' ? await pauseForStrategyOff(deps, id, decision.reason) : decision;
  // Committed: answer manifests with it in this process now (others hear the revision's NOTIFY).
  if (result.kind === 'applied') await deps.snapshot.refresh();
  return result;
}

/** One tick: every due rollout, one step each. Failures are reported per rollout and never thrown. */
export async function tickRollouts(deps: EngineDeps, onError: (err: unknown) => void, fetchFn: typeof fetch = fetch): Promise<void> {
  const ids = await dueRolloutIds(deps.db);
  // This process's own reports reach the guard now rather than at the next timed flush.
  if (ids.length > 0) await deps.reports.flush(deps.db).catch(onError);
  for (const id of ids) {
    try {
      await stepRollout(deps, id, fetchFn);
    } catch (err) {
      onError(err);
    }
  }
}

export interface RolloutEngine {
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
}

/** Starts ticking every `tickMs`; a tick never overlaps the one before it. */
export function startRolloutEngine(deps: EngineDeps, opts: EngineOptions): RolloutEngine {
  let current: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (current !== null) return;
    current = tickRollouts(deps, opts.onError, opts.fetch).catch(opts.onError).finally(() => {
      current = null;
    });
  }, opts.tickMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
