import type { Queryable } from '../db/Db.js';
import { addReportCounts, REPORT_BATCH } from '../store/reportCounts.js';

export const REPORT_KINDS = ['load-error', 'integrity-error', 'runtime-error', 'exposure'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Report {
  resourceId: number;
  product: string;
  kind: ReportKind;
}

/** Distinct (resource, product, kind) keys held between flushes; beyond it reports are dropped and counted. */
const MAX_KEYS = 10_000;

/**
 * Counts reports in memory and adds them to `report_counts` in batches. A flood of reports costs a Map
 * increment each, never a query, so it cannot slow getConsoleVersion; the database sees one upsert per
 * flush (see addReportCounts).
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
      for (; written < taken.length; written += REPORT_BATCH) {
        await addReportCounts(q, taken.slice(written, written + REPORT_BATCH).map(({ report, n }) => ({ ...report, n })));
      }
    } catch (err) {
      for (const slot of taken.slice(written)) this.add(slot.report, slot.n);
      throw err;
    }
  }
}
