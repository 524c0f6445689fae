import { validateManifest } from '../core/validateManifest.js';
import type { Manifest } from '../core/manifest.js';
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
      let manifest: Manifest | null = null;
      // Refused whole, the current one stays (corrupt manifest, unsafe URLs): the worker checks again what the SDK checked.
      if (message.manifest) manifest = validateManifest(message.manifest, state.config.policy);
      return applyManifest(state, deps, manifest, message.pin ? clientId : undefined);
    }
    case 'finch:fallback': {
      const pin = clientId ? state.pins.get(clientId)?.[message.product] : undefined;
      if (clientId && pin) switchToFallback(state, deps, clientId, message.product, pin, 'page', '', true, false);
      return undefined;
    }
    case 'finch:off':
      return turnOff(state, deps);
    default:
      return undefined;
  }
}
