/// <reference path="./workbox-window.d.ts" />
import { Workbox, messageSW } from 'workbox-window/build/workbox-window.prod.mjs';
import type { PageToWorker, WorkerToPage } from '../core/protocol.js';

export interface WorkerLink {
  /** Sends to the worker controlling this page; true once it acknowledged, false with no worker or no ack in time. */
  post(msg: PageToWorker): Promise<boolean>;
  /** Registers the worker once per page; never awaited, so a first visit never waits for an install (R9). */
  register(): void;
  /** The kill switch (R2): worker told to clean up, registration removed, Finch's caches cleared. */
  off(): void;
}

/** The page's side of core/protocol.ts. `url` undefined or no `navigator.serviceWorker`: every call is a no-op. */
export function workerLink(
  url: string | undefined,
  timeoutMs: number,
  onMessage: (msg: WorkerToPage) => void,
  onError: (cause: unknown) => void,
): WorkerLink {
  // Undefined in insecure contexts and some web views, whatever lib.dom says.
  const sw = url ? (navigator.serviceWorker as ServiceWorkerContainer | undefined) : undefined;
  let done = false;
  sw?.addEventListener('message', (ev: MessageEvent<WorkerToPage | null>) => {
    if (ev.data?.type === 'finch:fallback') onMessage(ev.data);
  });
  const post = (msg: PageToWorker): Promise<boolean> => {
    const c = sw?.controller;
    return c
      ? Promise.race([
          messageSW(c, msg).then((d: WorkerToPage | undefined) => d?.type === 'finch:ack'),
          new Promise<boolean>((r) => setTimeout(r, timeoutMs, false)),
        ])
      : Promise.resolve(false);
  };
  return {
    post,
    register() {
      if (sw && !done) {
        done = true;
        // updateViaCache 'none': the browser always revalidates the worker script, so a new build's worker
        // is found (R1). Chrome checks after a navigation only once the worker is idle, which a busy page
        // can put off for long: an installed worker is asked to update now.
        new Workbox(url!, { scope: '/', updateViaCache: 'none' })
          .register()
          .then((r) => r?.active && r.update())
          .catch(onError);
      }
    },
    off() {
      if (!sw) return;
      done = true;
      const abs = new URL(url!, location.href).href;
      void post({ type: 'finch:off' });
      sw.getRegistration('/')
        .then((r) => r && [r.active, r.waiting, r.installing].some((w) => w?.scriptURL === abs) && r.unregister())
        .catch(onError);
      self.caches
        ?.keys()
        .then((ks) => ks.forEach((k) => k.startsWith('finch-') && caches.delete(k)))
        .catch(onError);
    },
  };
}
