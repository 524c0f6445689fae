import type { Pin, SwDeps, SwState } from './state.js';

/**
 * Reports a failure of the pinned build `pin` of `product` to `POST /api/v1/reports`, with the build's
 * report token so a rollout's guard counts this user. The body is sent as text, which the server reads
 * as JSON (the form `sendBeacon` uses too). Fire and forget: a report that fails never disturbs a page.
 */
export function report(state: SwState, deps: SwDeps, pin: Pin, product: string, kind: 'load-error' | 'integrity-error', url: string, message: string): void {
  const to = state.config.reportUrl;
  if (to) {
    const body = JSON.stringify({ resourceId: pin.resourceId, product, kind, url: url.slice(0, 2048), message, token: pin.reportToken });
    deps.fetch(to, { method: 'POST', body, keepalive: true }).catch(() => {});
  }
}
