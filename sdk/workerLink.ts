/// <reference path="./workbox-window.d.ts" />
import { messageSW } from 'workbox-window/build/workbox-window.prod.mjs';
import type { PageToWorker, WorkerToPage } from '../core/protocol.js';
import { sdkError } from './sdkError.js';

export interface WorkerLink {
  /** Sends to the worker controlling this page; true once it acknowledged, false with no worker or no ack in time. */
  post(message: PageToWorker): Promise<boolean>;
  /**
   * Registers the worker once per page. Nobody awaits it, so a first visit never waits for an install
   * (a page without a worker works the same); the promise settles when registration and the update check did.
   */
  register(): Promise<unknown>;
  /** The kill switch: worker told to clean up, registration removed, Finch's caches cleared. */
  off(): Promise<unknown>;
}

/**
 * The page's side of core/protocol.ts. `url` undefined or no `navigator.serviceWorker`: every call is a
 * no-op. Failures go to `onError`; the returned promises never reject.
 */
export function workerLink(
  url: string | undefined,
  timeoutMs: number,
  onMessage: (message: WorkerToPage) => void,
  onError: (cause: unknown) => void,
): WorkerLink {
  // Undefined in insecure contexts and some web views, whatever lib.dom says.
  const container = url ? (navigator.serviceWorker as ServiceWorkerContainer | undefined) : undefined;
  let registered = false;
  container?.addEventListener('message', (event: MessageEvent<WorkerToPage | null>) => {
    if (event.data?.type === 'finch:fallback') onMessage(event.data);
  });
  const post = (message: PageToWorker): Promise<boolean> => {
    const controller = container?.controller;
    return controller
      ? Promise.race([
          messageSW(controller, message).then((answer: WorkerToPage | undefined) => answer?.type === 'finch:ack'),
          new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false)),
        ])
      : Promise.resolve(false);
  };
  return {
    post,
    async register() {
      if (!container || registered) return;
      registered = true;
      try {
        // After the page's load event, so installing the worker (it downloads builds) never competes
        // with the page's own files.
        if (document.readyState !== 'complete') await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
        // updateViaCache 'none': the browser always revalidates the worker script, so a new build's worker
        // is found. Chrome checks after a navigation only once the worker is idle, which a busy page can
        // put off for long: an installed worker is asked to update now.
        const registration = await container.register(url!, { scope: '/', updateViaCache: 'none' });
        // Offline, the check cannot reach the network: the installed worker goes on serving, not an error.
        if (registration.active) await registration.update().catch((cause: unknown) => navigator.onLine && Promise.reject(cause));
      } catch (cause) {
        onError(sdkError('worker-unavailable', { url, cause }));
      }
    },
    async off() {
      if (!container) return;
      registered = true;
      const scriptUrl = new URL(url!, location.href).href;
      await Promise.all([
        post({ type: 'finch:off' }),
        container
          .getRegistration('/')
          .then((registration) => registration && [registration.active, registration.waiting, registration.installing].some((worker) => worker?.scriptURL === scriptUrl) && registration.unregister())
          .catch(onError),
        self.caches
          ?.keys()
          .then((names) => Promise.all(names.map((name) => name.startsWith('finch-') && caches.delete(name))))
          .catch(onError),
      ]);
    },
  };
}
