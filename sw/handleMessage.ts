import { validateManifest } from '../core/validateManifest.js';
import type { PageToWorker } from '../core/protocol.js';
import type { SwDeps, SwState } from './state.js';
import { applyManifest } from './applyManifest.js';
import { switchToFallback } from './switchToFallback.js';
import { turnOff } from './turnOff.js';

/**
 * One page → worker message (core/protocol.ts). The caller acknowledges on the message's port once this
 * settles, whatever the outcome, so the SDK never waits on a worker that refused a message.
 */
export async function handleMessage(data: unknown, clientId: string | undefined, state: SwState, deps: SwDeps): Promise<void> {
  const message = data as PageToWorker | null;
  switch (message?.type) {
    case 'finch:manifest': {
      // Refused whole, the current one stays (corrupt manifest, unsafe URLs): the worker checks again what the SDK checked.
      const manifest = message.manifest ? validateManifest(message.manifest, state.config.policy) : null;
      return applyManifest(state, deps, manifest, message.pin ? clientId : undefined);
    }
    case 'finch:fallback': {
      // No page without an id has pins, so a pin found means `clientId` is set.
      const pin = state.pins.get(clientId as string)?.[message.product];
      if (pin) switchToFallback(state, deps, clientId as string, message.product, pin, 'page', '');
      return undefined;
    }
    case 'finch:off':
      return turnOff(state, deps);
    default:
      return undefined;
  }
}
