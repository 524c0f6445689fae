/**
 * Round-robin load over several servers that run side by side: each server's measured time is cut into
 * rounds, and in every round each server gets its slice in turn. On a shared VM whose throughput swings
 * by a third over tens of seconds, servers measured one after another compare the machine's moods;
 * measured in the same stretch of time, their per-round ratios compare the servers.
 */
import { runLoad, type LoadResult } from './load.js';

export interface RoundsOptions {
  /** Request paths, used round-robin across all connections. */
  paths: readonly string[];
  connections: number;
  /** Measured seconds per server in all, split evenly over the rounds. */
  seconds: number;
  rounds: number;
  /** Unmeasured load per server before the first round, for JIT, connection pools and caches. */
  warmupSeconds: number;
}

export interface RoundsResult {
  /** One run per round, indexed by round (not by the server's place in that round's order). */
  runs: LoadResult[];
  /** All requests over all measured time. */
  requestsPerSecond: number;
  /** Median over the rounds of each round's percentile: autocannon reports percentiles per run only. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
}

/**
 * Runs the rounds, each origin warmed up just before its first one. Round k starts with origin k (mod n) and goes on in list
 * order, so no server is always first or last, right after the same neighbour's load.
 */
export async function runRounds(origins: readonly string[], opts: RoundsOptions): Promise<RoundsResult[]> {
  const load = (origin: string, durationSeconds: number): Promise<LoadResult> =>
    runLoad({ origin, paths: opts.paths, connections: opts.connections, durationSeconds });
  const runs: LoadResult[][] = origins.map(() => []);
  for (let k = 0; k < opts.rounds; k++) {
    for (let j = 0; j < origins.length; j++) {
      const i = (k + j) % origins.length;
      // Warmed right before its first slice: warmed up and then left idle while the others warmed up,
      // the first server's first slice read lowest in trial runs.
      if (k === 0) await load(origins[i]!, opts.warmupSeconds);
      runs[i]![k] = await load(origins[i]!, opts.seconds / opts.rounds);
    }
  }
  return runs.map(summarize);
}

function summarize(runs: LoadResult[]): RoundsResult {
  const requests = runs.reduce((a, r) => a + r.requests, 0);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  return {
    runs,
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    requests,
    failures: runs.reduce((a, r) => a + r.failures, 0),
  };
}

/** `a`'s req/s over `b`'s in each round; both ran within seconds of each other, under the same load. */
export function roundRatios(a: RoundsResult, b: RoundsResult): number[] {
  return a.runs.map((r, k) => rate(r) / rate(b.runs[k]!));
}

const rate = (r: LoadResult): number => (r.seconds > 0 ? r.requests / r.seconds : 0);

/** The middle value; the mean of the two middle ones for an even count (--quick's two rounds). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
