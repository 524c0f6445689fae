import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SnapshotStore } from '../snapshot/SnapshotStore.js';

/**
 * One registry per app (tests build many apps in one process; prom-client's global registry would
 * mix them). Snapshot gauges are read from the store at scrape time, so the hot path sets nothing.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
  readonly reports: Counter<'kind'>;
  readonly reportsDropped: Counter<string>;
}

export function createMetrics(snapshot: Pick<SnapshotStore, 'current'>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'finch_' });
  const requests = new Counter({
    name: 'finch_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'finch_http_request_duration_seconds',
    help: 'Time from request to response, by route pattern.',
    labelNames: ['method', 'route'] as const,
    // getConsoleVersion answers in well under a millisecond; uploads take seconds.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const reports = new Counter({
    name: 'finch_reports_total',
    help: 'Client reports accepted, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const reportsDropped = new Counter({
    name: 'finch_reports_dropped_total',
    help: 'Client reports not counted because the in-memory buffer was full.',
    registers: [registry],
  });
  const current = () => {
    try {
      return snapshot.current();
    } catch {
      return null; // not loaded yet
    }
  };
  new Gauge({
    name: 'finch_snapshot_revision',
    help: 'Revision of the snapshot answering getConsoleVersion.',
    registers: [registry],
    collect() {
      const s = current();
      if (s) this.set(s.revision);
    },
  });
  new Gauge({
    name: 'finch_snapshot_build_seconds',
    help: 'How long loading and compiling the current snapshot took.',
    registers: [registry],
    collect() {
      const s = current();
      if (s) this.set(s.buildMs / 1000);
    },
  });
  new Gauge({
    name: 'finch_snapshot_built_timestamp_seconds',
    help: 'When the current snapshot was built (Unix time).',
    registers: [registry],
    collect() {
      const s = current();
      if (s) this.set(s.builtAt / 1000);
    },
  });
  return { registry, requests, duration, reports, reportsDropped };
}
