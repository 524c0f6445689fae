/** What `POST {endpoint}/reports` receives, as an array of up to 100 (server/reports/reportRoutes.ts). */
export interface FinchReport {
  kind: 'exposure' | 'load-error' | 'integrity-error';
  product: string;
  resourceId: number;
  url?: string;
}

/** Reports wait this long to travel together; a hidden or closing page sends at once. */
export const REPORT_DELAY_MS = 2_000;

/**
 * Batches reports. sendBeacon with a string body (text/plain: no CORS preflight, survives unload),
 * else fetch with keepalive. A failing report is dropped: reports never disturb the page.
 */
export function createReporter(url: string, f: (input: string, init: RequestInit) => Promise<Response>): (r: FinchReport) => void {
  const q: FinchReport[] = [];
  let t: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(t);
    t = undefined;
    while (q.length) {
      const body = JSON.stringify(q.splice(0, 100));
      try {
        if (!navigator.sendBeacon?.(url, body)) f(url, { method: 'POST', body, keepalive: true }).catch(() => {});
      } catch {
        // A fetch seam that throws synchronously is the host's problem, not the page's.
      }
    }
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.hidden && flush());
  return (r) => {
    q.push(r);
    t ??= setTimeout(flush, REPORT_DELAY_MS);
  };
}
