/**
 * The server's answer read as a rollout before anything renders it: a proxy's error page or another
 * program on the port becomes a clear error, never a crash halfway through a drawing. Only what the
 * command shows is checked; fields it does not know are kept for --json and otherwise left alone.
 */
import { FinchError } from '../../../core/FinchError.js';
import { COMMANDS, stageCount, type RolloutPlan } from '../../../core/index.js';
import type { RolloutInfo } from '../../../core/apiTypes.js';

type Obj = Record<string, unknown>;
/** A JSON object (not an array, not null). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function stagesProblem(stages: unknown): string | null {
  if (Array.isArray(stages)) {
    const ok = stages.length > 0 && stages.every((s) => isObj(s) && typeof s['percent'] === 'number' && isCount(s['holdSeconds']));
    return ok ? null : 'plan.stages is not a list of {percent, holdSeconds}';
  }
  if (!isObj(stages) || !isCount(stages['holdSeconds']) || !isObj(stages['batches'])) return 'plan.stages is neither percent steps nor batches';
  const b = stages['batches'];
  const ok = Number.isSafeInteger(b['combine']) && (b['combine'] as number) >= 1 && Number.isSafeInteger(b['schedule']) && (b['schedule'] as number) >= 1
    && Array.isArray(b['targets']) && b['targets'].length > 0;
  return ok ? null : 'plan.stages.batches lacks combine, schedule or targets';
}

function problem(v: unknown): string | null {
  if (!isObj(v)) return 'not an object';
  if (!isCount(v['id']) || typeof v['product'] !== 'string' || !isCount(v['resourceId'])) return 'no id, product or resourceId';
  // Every state has its entry in COMMANDS (an ended one accepts none).
  if (typeof v['state'] !== 'string' || !Object.hasOwn(COMMANDS, v['state'])) return `unknown state ${JSON.stringify(v['state'])}`;
  if (typeof v['stageStartedAt'] !== 'string' || Number.isNaN(Date.parse(v['stageStartedAt']))) return 'no stageStartedAt';
  const d = v['decision'];
  if (!isObj(d) || typeof d['reason'] !== 'string' || typeof d['at'] !== 'string') return 'no decision';
  if (!isObj(v['plan'])) return 'no plan';
  const stages = stagesProblem(v['plan']['stages']);
  if (stages !== null) return stages;
  const index = v['stageIndex'];
  if (!isCount(index) || index >= stageCount(v['plan'] as unknown as RolloutPlan)) return 'stageIndex is not one of its stages';
  return null;
}

/** `json` as a rollout, or an `internal` error saying what was wrong with it. */
export function asRollout(json: unknown): RolloutInfo {
  const wrong = problem(json);
  if (wrong !== null) {
    throw new FinchError('internal', `The server's answer is not a rollout (${wrong}). Check that --endpoint is a Finch control plane of this version.`);
  }
  return json as RolloutInfo;
}

/** The body of GET /products/{name}/rollouts. */
export function asRolloutList(json: unknown): RolloutInfo[] {
  const list = isObj(json) ? json['rollouts'] : undefined;
  if (!Array.isArray(list)) throw new FinchError('internal', 'The server\'s answer is not a list of rollouts. Check that --endpoint is a Finch control plane of this version.');
  return list.map(asRollout);
}
