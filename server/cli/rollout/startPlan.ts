/**
 * The plan `finch rollout start` sends: a plan file (--plan), then the flags over it. It is checked
 * here with the server's own check (core's validatePlan), so a mistake is a usage error that names
 * the field before anything is sent.
 */
import { readFile } from 'node:fs/promises';
import { FinchError } from '../../../core/FinchError.js';
import { validatePlan } from '../../../core/index.js';
import { parseStages } from './parseStages.js';
import { isObj } from './rolloutAnswer.js';

type Values = Record<string, string | boolean | undefined>;

/** The parseArgs table of `start`, besides --endpoint, --token, --watch and --json. */
export const START_FLAGS = {
  product: { type: 'string' },
  resource: { type: 'string' },
  stages: { type: 'string' },
  plan: { type: 'string' },
  guard: { type: 'string' },
  'min-exposures': { type: 'string' },
  'max-fallback-rate': { type: 'string' },
  'max-error-rate': { type: 'string' },
  'compare-to-stable': { type: 'boolean' },
  tolerance: { type: 'string' },
  'on-breach': { type: 'string' },
  priority: { type: 'string' },
} as const;

const invalid = (message: string, field: string): FinchError => new FinchError('invalid-input', message, { field });

function wholeNumber(flag: string, text: string): number {
  if (!/^-?\d{1,12}$/.test(text.trim())) throw invalid(`--${flag} must be a whole number, like ${flag === 'priority' ? '10' : '42'} (got "${text}").`, flag);
  return Number(text);
}

/** A fraction (`0.02`) or a percent (`2%`). */
function rateOf(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (m === null) throw invalid(`--${flag} must be a fraction like 0.02 or a percent like 2% (got "${text}").`, flag);
  return m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
}

function parseJson(flag: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(`--${flag} is not JSON: ${text}. Quote it for the shell, like --guard '{"minExposures": 200, "maxFallbackRate": 0.02}'.`, flag);
  }
}

async function readPlanFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalid(`Failed to read the plan ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}). Check --plan.`, 'plan');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(`Failed to read the plan ${file}: it is not JSON (${err instanceof Error ? err.message : String(err)}).`, 'plan');
  }
  if (!isObj(json)) throw invalid(`Failed to read the plan ${file}: it must hold one JSON object, like {"product": "shop", "resourceId": 42, "stages": [...]}.`, 'plan');
  return json;
}

/** --guard (or the plan's guard) with the single guard flags over it; the plan's check fills the rest. */
function guardOf(values: Values, base: unknown): unknown {
  const guard = typeof values['guard'] === 'string' ? parseJson('guard', values['guard']) : base;
  const single: Record<string, unknown> = {};
  const text = (flag: string): string | undefined => (typeof values[flag] === 'string' ? values[flag] : undefined);
  if (text('min-exposures') !== undefined) single['minExposures'] = wholeNumber('min-exposures', text('min-exposures')!);
  if (text('max-fallback-rate') !== undefined) single['maxFallbackRate'] = rateOf('max-fallback-rate', text('max-fallback-rate')!);
  if (text('max-error-rate') !== undefined) single['maxErrorRate'] = rateOf('max-error-rate', text('max-error-rate')!);
  if (text('tolerance') !== undefined) single['tolerance'] = rateOf('tolerance', text('tolerance')!);
  if (values['compare-to-stable'] === true) single['compareToStable'] = true;
  if (Object.keys(single).length === 0) return guard;
  return { ...(isObj(guard) ? guard : {}), ...single };
}

/** The body of POST /rollouts from the flags; `invalid-input` naming the flag or plan field at fault. */
export async function startPlan(values: Values): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = typeof values['plan'] === 'string' ? await readPlanFile(values['plan']) : {};
  if (typeof values['product'] === 'string') body['product'] = values['product'];
  if (typeof values['resource'] === 'string') body['resourceId'] = wholeNumber('resource', values['resource']);
  if (typeof values['stages'] === 'string') body['stages'] = parseStages(values['stages']);
  if (typeof values['on-breach'] === 'string') body['onBreach'] = values['on-breach'];
  if (typeof values['priority'] === 'string') body['priority'] = wholeNumber('priority', values['priority']);
  const guard = guardOf(values, body['guard']);
  if (guard !== undefined) body['guard'] = guard;
  const missing = [['product', '--product'], ['resourceId', '--resource'], ['stages', '--stages']].filter(([key]) => body[key!] === undefined).map(([, flag]) => flag);
  if (missing.length > 0) throw invalid(`missing ${missing.join(', ')} (or the same in a --plan file).`, 'plan');
  validatePlan(body);
  return body;
}
