import type { SwDeps, SwState } from './state.js';

/** One report in the shape `POST /api/v1/reports` accepts (server/reports/reportRoutes.ts). */
export interface SwReport {
  resourceId: number;
  product: string;
  kind: 'load-error' | 'integrity-error';
  url: string;
  message: string;
}

/** Fire and forget: a report that fails must never disturb a page. */
export function report(state: SwState, deps: SwDeps, body: SwReport): void {
  const url = state.config.reportUrl;
  if (url) {
    body.url = body.url.slice(0, 2048);
    deps
      .fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), keepalive: true })
      .catch(() => {});
  }
}
