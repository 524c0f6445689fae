import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { ReportBuffer } from '../reports/ReportBuffer.js';
import type { LoadedSnapshot, SnapshotStore } from '../snapshot/SnapshotStore.js';
import { HttpStats } from './HttpStats.js';

/**
 * One registry per app (tests build many apps in one process; prom-client's global registry would
 * mix them). Snapshot gauges are read from the store at scrape time, so the hot path sets nothing.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Request counts and durations, recorded as plain numbers and read by the registry at scrape time. */
  readonly http: HttpStats;
  readonly reports: Counter<'kind'>;
  /** Reports by what their report token was: `valid`, `invalid` (forged, stale, another build's) or `none`. */
  readonly reportTokens: Counter<'token'>;
}

export function createMetrics(snapshot: Pick<SnapshotStore, 'current'>, buffer: Pick<ReportBuffer, 'dropped'>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'finch_' });
  // prom-client hashes the label set on every inc/observe; at getConsoleVersion's rate that was a
  // visible share of each request, so the hot path only bumps numbers and the registry reads them.
  const http = new HttpStats(
    // getConsoleVersion answers in well under a millisecond; uploads take seconds.
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  );
  new Counter({
    name: 'finch_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, n] of http.counts()) this.inc(labels, n);
    },
  });
  registry.registerMetric(http.histogram('finch_http_request_duration_seconds', 'Time from request to response, by route pattern.') as unknown as Metric);
  const reports = new Counter({
    name: 'finch_reports_total',
    help: 'Client reports accepted, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const reportTokens = new Counter({
    name: 'finch_report_tokens_total',
    help: 'Client reports by their report token: valid, invalid (forged, stale, another build\'s) or none.',
    labelNames: ['token'] as const,
    registers: [registry],
  });
  new Counter({
    name: 'finch_reports_dropped_total',
    help: 'Client reports not counted because the in-memory buffer was full.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(buffer.dropped);
    },
  });
  const current = () => {
    try {
      return snapshot.current();
    } catch {
      return null; // not loaded yet
    }
  };
  const snapshotGauge = (name: string, help: string, read: (s: LoadedSnapshot) => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = current();
        if (s) this.set(read(s));
      },
    });
  };
  snapshotGauge('finch_snapshot_revision', 'Revision of the snapshot answering getConsoleVersion.', (s) => s.revision);
  snapshotGauge('finch_snapshot_build_seconds', 'How long loading and compiling the current snapshot took.', (s) => s.buildMs / 1000);
  snapshotGauge('finch_snapshot_built_timestamp_seconds', 'When the current snapshot was built (Unix time).', (s) => s.builtAt / 1000);
  return { registry, http, reports, reportTokens };
}
