/**
 * Per route and method: responses by status and a duration histogram, kept as plain numbers so that
 * recording one response is a few additions. The registry turns them into Prometheus series when
 * scraped (a counter via `counts()`, the histogram via `histogram()`).
 */
export interface HttpSeries {
  readonly method: string;
  readonly route: string;
  readonly byStatus: Map<number, number>;
  /** Non-cumulative: `buckets[i]` counts durations in (bounds[i-1], bounds[i]]; the last one is +Inf. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

interface HistogramValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

export class HttpStats {
  private readonly byRoute = new Map<string, Map<string, HttpSeries>>();

  constructor(private readonly bounds: readonly number[]) {}

  /** The series of one route pattern and method; callers may keep it. */
  series(method: string, route: string): HttpSeries {
    let byMethod = this.byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.byRoute.set(route, byMethod);
    }
    let s = byMethod.get(method);
    if (s === undefined) {
      s = { method, route, byStatus: new Map(), buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      byMethod.set(method, s);
    }
    return s;
  }

  record(method: string, route: string, status: number, seconds: number): void {
    const s = this.series(method, route);
    s.byStatus.set(status, (s.byStatus.get(status) ?? 0) + 1);
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    s.sum += seconds;
    s.count += 1;
  }

  /** Totals by `{method, route, status}`, for a prom-client Counter's collect(). */
  *counts(): Iterable<[{ method: string; route: string; status: string }, number]> {
    for (const byMethod of this.byRoute.values()) {
      for (const s of byMethod.values()) {
        for (const [status, n] of s.byStatus) yield [{ method: s.method, route: s.route, status: String(status) }, n];
      }
    }
  }

  /** A histogram in the shape prom-client's Registry reads (`registerMetric`), labelled like prom-client's own. */
  histogram(name: string, help: string): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: HistogramValue[] }>; reset(): void } {
    const get = async () => {
      const values: HistogramValue[] = [];
      for (const byMethod of this.byRoute.values()) {
        for (const s of byMethod.values()) {
          let acc = 0;
          this.bounds.forEach((le, i) => {
            acc += s.buckets[i] as number;
            values.push({ labels: { le, method: s.method, route: s.route }, value: acc, metricName: `${name}_bucket` });
          });
          values.push({ labels: { le: '+Inf', method: s.method, route: s.route }, value: s.count, metricName: `${name}_bucket` });
          values.push({ labels: { method: s.method, route: s.route }, value: s.sum, metricName: `${name}_sum` });
          values.push({ labels: { method: s.method, route: s.route }, value: s.count, metricName: `${name}_count` });
        }
      }
      return { name, help, type: 'histogram' as const, aggregator: 'sum' as const, values };
    };
    return { name, help, type: 'histogram', aggregator: 'sum', get, reset: () => this.byRoute.clear() };
  }
}
