import type { Db } from '../db/Db.js';
import { addReportBuckets, BUCKET_BATCH } from '../store/reportBuckets.js';
import { addReportCounts, REPORT_BATCH } from '../store/reportCounts.js';
import { addReportUsers, USER_BATCH, type ReportClass, type ReportUser } from '../store/reportUsers.js';

export const REPORT_KINDS = ['load-error', 'integrity-error', 'runtime-error', 'exposure'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Report {
  resourceId: number;
  product: string;
  kind: ReportKind;
}

/** Distinct (resource, product, kind, minute) keys held between flushes; beyond it reports are dropped and counted. */
const MAX_KEYS = 10_000;
/** Distinct (resource, product, class, user) keys held between flushes, likewise. */
const MAX_USERS = 200_000;

/** How the rollout guard counts a report of `kind`. */
export function reportClass(kind: ReportKind): ReportClass {
  return kind === 'exposure' ? 'exposure' : kind === 'runtime-error' ? 'error' : 'fallback';
}

interface Slot {
  report: Report;
  /** The minute the reports arrived in, epoch seconds. */
  minute: number;
  n: number;
}

/**
 * Counts reports in memory and writes them in batches: the totals to `report_counts`, and the same
 * counts by the minute they arrived to `report_buckets`, in one transaction per flush. A flood of
 * reports costs a Map increment each, never a query, so it cannot slow getConsoleVersion.
 */
export class ReportBuffer {
  private pending = new Map<string, Slot>();
  private users = new Map<string, ReportUser>();
  private flushing: Promise<void> = Promise.resolve();
  /** Reports not counted because the buffer was full (read by the metrics at scrape time). */
  dropped = 0;

  /** @param now epoch ms, which stamps each report's minute @default Date.now */
  constructor(private readonly now: () => number = Date.now) {}

  /** Counts `n` reports; with `user`, also records that this user reported so now (for the guard). */
  add(report: Report, n = 1, user?: string): void {
    const now = this.now();
    this.addAt(report, Math.floor(now / 60_000) * 60, n);
    if (user !== undefined) this.addUser({ resourceId: report.resourceId, product: report.product, cls: reportClass(report.kind), user, at: now });
  }

  private addUser(u: ReportUser): void {
    const key = `${u.resourceId}\u0000${u.product}\u0000${u.cls}\u0000${u.user}`;
    const seen = this.users.get(key);
    if (seen) seen.at = Math.max(seen.at, u.at);
    else if (this.users.size < MAX_USERS) this.users.set(key, u);
    else this.dropped++;
  }

  private addAt(report: Report, minute: number, n: number): void {
    const key = `${report.resourceId}\u0000${report.product}\u0000${report.kind}\u0000${minute}`;
    const slot = this.pending.get(key);
    if (slot) slot.n += n;
    else if (this.pending.size < MAX_KEYS) this.pending.set(key, { report, minute, n });
    else this.dropped++;
  }

  /** Keys waiting: counts and users. */
  get size(): number {
    return this.pending.size + this.users.size;
  }

  /** Writes what is pending; flushes never overlap. A failed flush puts its counts back. */
  flush(db: Pick<Db, 'tx'>): Promise<void> {
    const run = this.flushing.then(() => this.write(db));
    this.flushing = run.catch(() => {});
    return run;
  }

  private async write(db: Pick<Db, 'tx'>): Promise<void> {
    if (this.pending.size === 0 && this.users.size === 0) return;
    const taken = [...this.pending.values()];
    const users = [...this.users.values()];
    this.pending = new Map();
    this.users = new Map();
    const counts = taken.map(({ report, minute, n }) => ({ ...report, minute, n }));
    try {
      // One transaction: a chart never disagrees with the totals or the guard, and a failure writes none.
      await db.tx(async (q) => {
        for (let i = 0; i < counts.length; i += REPORT_BATCH) await addReportCounts(q, counts.slice(i, i + REPORT_BATCH));
        for (let i = 0; i < counts.length; i += BUCKET_BATCH) await addReportBuckets(q, counts.slice(i, i + BUCKET_BATCH));
        for (let i = 0; i < users.length; i += USER_BATCH) await addReportUsers(q, users.slice(i, i + USER_BATCH));
      });
    } catch (err) {
      for (const slot of taken) this.addAt(slot.report, slot.minute, slot.n);
      for (const u of users) this.addUser(u);
      throw err;
    }
  }
}
