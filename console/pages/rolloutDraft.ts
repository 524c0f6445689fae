// The "Start rollout" form as data: what an operator types, turned into the plan `POST /api/v1/rollouts`
// takes. Only the shape is checked here (numbers where numbers go); the server checks the plan whole
// and names the field it refuses, which `draftField` maps back to the input to mark. Pure.
import type { OnBreach } from '../../core/rollout/RolloutPlan.js';

export interface RolloutDraft {
  /** The build to roll out, from the form's select. */
  resourceId: string;
  /** Percent steps as `percent:hold`, hold in seconds or with a unit: `1:10m, 10:1h, 50:2h`. */
  stages: string;
  onBreach: OnBreach;
  /** Whether the plan has a guard at all; the fields below count only with one, and an empty one is left to the server's default. */
  guarded: boolean;
  minExposures: string;
  /** Percent, as people write limits: `2` is 2 %, sent as 0.02. */
  maxFallbackPercent: string;
  maxErrorPercent: string;
  compareToStable: boolean;
  /** Percentage points: `1` is sent as 0.01. */
  tolerancePoints: string;
}

export type DraftField = Exclude<keyof RolloutDraft, 'guarded' | 'compareToStable'>;

export const EMPTY_DRAFT: RolloutDraft = {
  resourceId: '',
  stages: '1:10m, 10:30m, 50:1h',
  onBreach: 'rollback',
  guarded: true,
  minExposures: '200',
  maxFallbackPercent: '2',
  maxErrorPercent: '5',
  compareToStable: true,
  tolerancePoints: '1',
};

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400 };
const STAGE = /^(\d+(?:\.\d+)?)\s*%?\s*:\s*(\d+)\s*([smhd]?)$/i;

export type StagesParse =
  | { ok: true; stages: Array<{ percent: number; holdSeconds: number }> }
  /** `item`: the text that is not `percent:hold`, and its position from 1. */
  | { ok: false; item: string; position: number };

/**
 * Reads `1:60, 10:5m, 50:1h` (commas, semicolons or new lines between stages; hold in seconds, or with
 * s, m, h or d). Ranges and order are the server's to check.
 * @example parseStages('1:60, 10:5m') // { ok: true, stages: [{ percent: 1, holdSeconds: 60 }, { percent: 10, holdSeconds: 300 }] }
 */
export function parseStages(text: string): StagesParse {
  const items = text.split(/[,;\n]/).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return { ok: false, item: '', position: 1 };
  const stages: Array<{ percent: number; holdSeconds: number }> = [];
  for (const [i, item] of items.entries()) {
    const m = STAGE.exec(item);
    if (m === null) return { ok: false, item, position: i + 1 };
    stages.push({ percent: Number(m[1]), holdSeconds: Number(m[2]) * UNIT_SECONDS[(m[3] ?? '').toLowerCase()]! });
  }
  return { ok: true, stages };
}

export type DraftPlan =
  | { ok: true; plan: Record<string, unknown> }
  | { ok: false; field: DraftField; problem: 'stages' | 'number'; item?: string; position?: number };

/** The number `s` says, or null for anything else (empty included). */
const number = (s: string): number | null => (s.trim() === '' ? null : Number.isFinite(Number(s)) ? Number(s) : null);
/** `2` (percent) → 0.02, without the binary noise of 2 / 100 * … (0.07 / 100 is 0.0007000000000000001). */
const fraction = (n: number): number => Number((n / 100).toPrecision(12));

/** The plan body for `product`, or the first field that is not even shaped right. */
export function draftPlan(product: string, d: RolloutDraft): DraftPlan {
  const resourceId = number(d.resourceId);
  if (resourceId === null) return { ok: false, field: 'resourceId', problem: 'number' };
  const stages = parseStages(d.stages);
  if (!stages.ok) return { ok: false, field: 'stages', problem: 'stages', item: stages.item, position: stages.position };
  const plan: Record<string, unknown> = { product, resourceId, stages: stages.stages, onBreach: d.onBreach };
  if (!d.guarded) return { ok: true, plan };
  const guard: Record<string, unknown> = { compareToStable: d.compareToStable };
  const fields = [
    ['minExposures', 'minExposures', (n: number) => n],
    ['maxFallbackPercent', 'maxFallbackRate', fraction],
    ['maxErrorPercent', 'maxErrorRate', fraction],
    ...(d.compareToStable ? [['tolerancePoints', 'tolerance', fraction] as const] : []),
  ] as const;
  for (const [field, key, convert] of fields) {
    if (d[field].trim() === '') continue;
    const n = number(d[field]);
    if (n === null) return { ok: false, field, problem: 'number' };
    guard[key] = convert(n);
  }
  plan['guard'] = guard;
  return { ok: true, plan };
}

const SERVER_FIELDS: ReadonlyArray<readonly [RegExp, DraftField]> = [
  [/^stages\b/, 'stages'],
  [/^resourceId$/, 'resourceId'],
  [/^onBreach$/, 'onBreach'],
  [/^guard\.minExposures$/, 'minExposures'],
  [/^guard\.maxFallbackRate$/, 'maxFallbackPercent'],
  [/^guard\.maxErrorRate$/, 'maxErrorPercent'],
  [/^guard\.tolerance$/, 'tolerancePoints'],
];

/** The form field behind a field the server names in `details.field` (`stages[1].percent` → stages). */
export function draftField(serverField: unknown): DraftField | null {
  if (typeof serverField !== 'string') return null;
  return SERVER_FIELDS.find(([pattern]) => pattern.test(serverField))?.[1] ?? null;
}
