/** A stage's post-deploy check: one HTTP GET that must answer 2xx, made outside any transaction. */
import type { CheckOutcome, StageCheck } from '../../core/index.js';

/**
 * Calls `check.url` with its timeout. Only http(s) without user info is called (the plan was checked
 * for that; checked again here since the row is read back from the database). Redirects are not
 * followed: a 3xx is not a pass, and following it could lead anywhere.
 */
export async function runStageCheck(check: StageCheck, fetchFn: typeof fetch = fetch): Promise<CheckOutcome> {
  let url: URL;
  try {
    url = new URL(check.url);
  } catch {
    return { ok: false, detail: 'nothing: the URL does not parse' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    return { ok: false, detail: 'nothing: only http(s) URLs without credentials are called' };
  }
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
