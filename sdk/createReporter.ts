import type { Fetch } from './fetchManifest.js';

/** What `POST {endpoint}/reports` receives, as an array of up to 100. */
export interface FinchReport {
  kind: 'exposure' | 'load-error' | 'integrity-error';
  product: string;
  resourceId: number;
  url?: string;
  /** The build's `reportToken` from the manifest, so a rollout's guard counts this user. */
  token?: string | undefined;
}

/** Reports wait this long to travel together; a hidden or closing page sends at once. */
export const REPORT_DELAY_MS = 2_000;

/**
 * Batches reports. sendBeacon with a string body (text/plain: no CORS preflight, survives unload),
 * else fetch with keepalive, handed to `track`. A failing report is dropped: reports never disturb the page.
 */
export function createReporter(url: string, fetch: Fetch, track: (sending: Promise<unknown>) => void): (report: FinchReport) => void {
  const queue: FinchReport[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length) {
      const body = JSON.stringify(queue.splice(0, 100));
      try {
        if (!navigator.sendBeacon?.(url, body)) track(fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {}));
      } catch {
        // A fetch seam that throws synchronously is the host's problem, not the page's.
      }
    }
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.hidden && flush());
  return (report) => {
    queue.push(report);
    timer ??= setTimeout(flush, REPORT_DELAY_MS);
  };
}
