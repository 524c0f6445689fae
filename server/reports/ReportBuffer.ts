import type { Queryable } from '../db/Db.js';

export const REPORT_KINDS = ['load-error', 'integrity-error', 'runtime-error', 'exposure'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Report {
  resourceId: number;
  product: string;
  kind: ReportKind;
}

/** Distinct (resource, product, kind) keys held between flushes; beyond it reports are dropped and counted. */
const MAX_KEYS = 10_000;
/** Rows per INSERT statement (4 parameters each, far below PostgreSQL's 65,535). */
const BATCH = 500;

/**
 * Counts reports in memory and adds them to `report_counts` in batches. A flood of reports costs a Map
 * increment each, never a query, so it cannot slow getConsoleVersion; the database sees one upsert per
 * flush. Counts of resources that do not exist, or that belong to another product, are discarded at
 * flush time by the join.
 */
export class ReportBuffer {
  private pending = new Map<string, { report: Report; n: number }>();
  private flushing: Promise<void> = Promise.resolve();
  /** Reports not counted because the buffer was full (read by the metrics at scrape time). */
  dropped = 0;

  add(report: Report, n = 1): void {
    const key = `${report.resourceId}\u0000${report.product}\u0000${report.kind}`;
    const slot = this.pending.get(key);
    if (slot) slot.n += n;
    else if (this.pending.size < MAX_KEYS) this.pending.set(key, { report, n });
    else this.dropped++;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes what is pending; flushes never overlap. A failed flush puts its counts back. */
  flush(q: Queryable): Promise<void> {
    const run = this.flushing.then(() => this.write(q));
    this.flushing = run.catch(() => {});
    return run;
  }

  private async write(q: Queryable): Promise<void> {
    if (this.pending.size === 0) return;
    const taken = [...this.pending.values()];
    this.pending = new Map();
    let written = 0;
    try {
      for (; written < taken.length; written += BATCH) {
        const params: unknown[] = [];
        const values = taken.slice(written, written + BATCH).map(({ report, n }) => {
          params.push(report.resourceId, report.product, report.kind, n);
          const k = params.length;
          return `($${k - 3}::integer, $${k - 2}::text, $${k - 1}::text, $${k}::bigint)`;
        });
        await q.query(
          `INSERT INTO report_counts (resource_id, kind, count)
           SELECT v.resource_id, v.kind, sum(v.n) FROM (VALUES ${values.join(', ')}) AS v(resource_id, product, kind, n)
             JOIN resources r ON r.id = v.resource_id
             JOIN products p ON p.id = r.product_id AND p.name = v.product
            GROUP BY v.resource_id, v.kind
           ON CONFLICT (resource_id, kind) DO UPDATE
             SET count = report_counts.count + EXCLUDED.count, last_at = now()`,
          params,
        );
      }
    } catch (err) {
      for (const slot of taken.slice(written)) this.add(slot.report, slot.n);
      throw err;
    }
  }
}
