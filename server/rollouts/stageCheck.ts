/** A stage's post-deploy check: one HTTP GET that must answer 2xx, made outside any transaction. */
import { FinchError, planStage, stageCount, type CheckOutcome, type RolloutPlan, type StageCheck } from '../../core/index.js';

/** Whether `url` may be called under FINCH_CHECK_ORIGINS (`allowed`; empty allows any). */
function mayCall(url: URL, allowed: readonly string[]): boolean {
  return allowed.length === 0 || allowed.includes(url.origin);
}

/**
 * Refuses a plan whose stage checks call an origin FINCH_CHECK_ORIGINS does not list, with the field
 * that names it: the server would otherwise make requests an operator chose to any host it reaches.
 */
export function refuseUnlistedChecks(plan: RolloutPlan, allowed: readonly string[]): void {
  if (allowed.length === 0) return;
  for (let k = 0; k < stageCount(plan); k++) {
    const check = planStage(plan, k).check;
    if (check === null || mayCall(new URL(check.url), allowed)) continue;
    const field = Array.isArray(plan.stages) ? `stages[${k}].check.url` : 'stages.check.url';
    throw new FinchError('invalid-input', `Invalid rollout plan: ${field} calls ${new URL(check.url).origin}, which FINCH_CHECK_ORIGINS does not list (${allowed.join(', ')}).`, { field, allowed: [...allowed] });
  }
}

/**
 * Calls `check.url` with its timeout. Only http(s) without user info, on an origin `allowed` lists
 * (when it lists any), is called (the plan was checked
 * for that; checked again here since the row is read back from the database). Redirects are not
 * followed: a 3xx is not a pass, and following it could lead anywhere.
 */
export async function runStageCheck(check: StageCheck, allowed: readonly string[], fetchFn: typeof fetch = fetch): Promise<CheckOutcome> {
  let url: URL;
  try {
    url = new URL(check.url);
  } catch {
    return { ok: false, detail: 'nothing: the URL does not parse' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    return { ok: false, detail: 'nothing: only http(s) URLs without credentials are called' };
  }
  // The list may have changed since the plan was accepted.
  if (!mayCall(url, allowed)) return { ok: false, detail: `nothing: ${url.origin} is not in FINCH_CHECK_ORIGINS` };
  try {
    const res = await fetchFn(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(check.timeoutSeconds * 1000) });
    // The body is not read; release the connection.
    await res.body?.cancel().catch(() => undefined);
    return { ok: res.status >= 200 && res.status < 300, detail: `${res.status}${res.statusText === '' ? '' : ` ${res.statusText}`}` };
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return { ok: false, detail: `nothing: timed out after ${check.timeoutSeconds} s` };
    return { ok: false, detail: `nothing: ${err instanceof Error ? err.message : String(err)}` };
  }
}
