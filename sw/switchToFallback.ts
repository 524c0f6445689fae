import type { Pin, SwDeps, SwState } from './state.js';
import { report } from './report.js';

/**
 * Moves one page's product to its fallback build for the rest of the page's life (never a mix of two
 * builds) and remembers the failed build for new pages of this browser, but not for a `network` error:
 * being offline says nothing about the build. `reason` is `page` when the page asked (`finch:fallback`):
 * its SDK already told the page and reported, and a second report would count the failure twice; for any
 * other reason the worker saw the failure itself, so it does both.
 */
export function switchToFallback(
  state: SwState,
  deps: SwDeps,
  clientId: string,
  product: string,
  pin: Pin,
  reason: string,
  url: string,
): void {
  const fallback = pin.fallback;
  if (!fallback) return;
  const pins = state.pins.get(clientId);
  if (pins) {
    pins[product] = fallback;
    deps.savePins(state.pins);
  }
  if (reason !== 'network') {
    const now = deps.now();
    state.bad[pin.resourceId] = now;
    deps.saveBad(pin.resourceId, now);
  }
  if (reason === 'page') return;
  if (clientId) {
    deps.post(clientId, { type: 'finch:fallback', product, resourceId: pin.resourceId, fallbackResourceId: fallback.resourceId, reason, url });
  }
  report(state, deps, pin, product, reason === 'integrity' ? 'integrity-error' : 'load-error', url, `worker: ${reason}`);
}
