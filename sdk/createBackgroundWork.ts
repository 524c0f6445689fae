export interface BackgroundWork {
  /** Keeps `work` in view; its failure was already handled where it started. */
  track(work: Promise<unknown>): void;
  /** Resolves once everything tracked so far has finished, including work it started meanwhile. */
  settled(): Promise<void>;
}

/**
 * The work nobody awaits: worker registration, the background refresh, report sends. It never rejects
 * into the page; `settled()` is how tests wait for it instead of the clock.
 */
export function createBackgroundWork(): BackgroundWork {
  let all: Promise<unknown> = Promise.resolve();
  return {
    track(work) {
      all = Promise.all([all, work.catch(() => {})]);
    },
    async settled() {
      for (let seen; seen !== all; ) await (seen = all);
    },
  };
}
