/** Keeps V8's JS young generation at or under a size while the process runs, from inside the process. */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

let capped = false;

/**
 * V8 doubles the young generation (up to 32 MB) whenever much survives a scavenge, as in a snapshot
 * compile or a burst of requests, and keeps it. `--max-semi-space-size` would cap it, but V8 reads that
 * only at start-up, from node's command line, which `finch serve` and the demo do not control. The growth
 * factor V8 reads each time it grows, so after every GC it is set to 1 (no growth) at the cap and back
 * to 2 below it: a young generation V8 shrank while idle grows back, where a plain factor of 1 would
 * leave it at 1 to 2 MB for good, at ~15% more CPU per getConsoleVersion. GC callbacks run between
 * event-loop turns, so one long synchronous burst while below the cap can still grow it past (no further
 * than V8 would anyway); the cap holds again once V8 shrinks it. Once per process.
 * @example capYoungGeneration(8 * 1024 * 1024)
 */
export function capYoungGeneration(maxBytes: number): void {
  if (capped) return;
  capped = true;
  let factor = 0;
  const check = (): void => {
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    const next = young >= maxBytes ? 1 : 2;
    if (next === factor) return;
    factor = next;
    v8.setFlagsFromString(`--semi-space-growth-factor=${next}`);
  };
  check();
  new PerformanceObserver(check).observe({ entryTypes: ['gc'] });
}
