// Another operator's change shows within seconds: the console polls `GET /api/v1/revision` every
// 3 s (a 304 when nothing changed, thanks to If-None-Match) and pages that read `revision` reload
// when it moves. A failed poll keeps the last revision and tries again on the next tick.
import { signal } from '@preact/signals';
import { API_BASE } from './api.js';

const EVERY_MS = 3_000;

/** The control plane's revision as last seen; null before the first answer. */
export const revision = signal<number | null>(null);

let timer: ReturnType<typeof setTimeout> | null = null;
let etag: string | null = null;

async function poll(): Promise<void> {
  try {
    const res = await fetch(`${API_BASE}/revision`, {
      credentials: 'same-origin',
      headers: etag ? { 'If-None-Match': etag, Accept: 'application/json' } : { Accept: 'application/json' },
    });
    if (res.status === 200) {
      const body = (await res.json()) as { revision?: unknown };
      if (typeof body.revision === 'number') revision.value = body.revision;
      etag = res.headers.get('ETag');
    }
  } catch {
    // Offline or restarting: the next tick tries again.
  }
}

function tick(): void {
  timer = setTimeout(() => { void poll().finally(() => { if (timer !== null) tick(); }); }, EVERY_MS);
}

/** Starts polling (once signed in); calling it again does nothing. */
export function startLive(): void {
  if (timer !== null) return;
  void poll();
  tick();
}

/** Stops polling (on sign-out). */
export function stopLive(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  etag = null;
}
