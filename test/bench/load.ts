/**
 * The load generator: autocannon in this process, 50 connections, each request naming another user
 * so that no server can answer from a one-entry cache.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx answers plus socket errors (timeouts included); a run with any is reported, not hidden. */
  failures: number;
  /** Bytes on the wire per answer, headers included. */
  meanResponseBytes: number;
  /**
   * Wall time of the run as autocannon measured it. It stops at its first 1 s sample tick after the
   * requested duration, so `requests / seconds`, not the requested duration, is the true rate.
   */
  seconds: number;
}

export interface LoadOptions {
  /** Origin, e.g. `http://127.0.0.1:1234`. */
  origin: string;
  /** Request paths, used round-robin across all connections. */
  paths: readonly string[];
  connections: number;
  durationSeconds: number;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: opts.origin,
    connections: opts.connections,
    duration: opts.durationSeconds,
    requests: [
      {
        setupRequest: (req) => {
          req.path = opts.paths[i++ % opts.paths.length]!;
          return req;
        },
      },
    ],
  });
  const total = result.requests.total;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: total,
    failures: result.non2xx + result.errors,
    meanResponseBytes: total > 0 ? result.throughput.total / total : 0,
    seconds: result.duration,
  };
}
