// The audit page's filters live in the console URL (`#/audit?actor=user:admin&product=dashboard`), so
// a filtered view can be linked and survives a reload; this turns them into the API's query.

export interface AuditFilter {
  /** `user:<name>`, `token:<id>` or `anonymous`; empty for anyone. */
  actor: string;
  /** Like `strategy.update`; empty for any. */
  action: string;
  product: string;
  /** A `datetime-local` value (the browser's local time), empty for open. */
  from: string;
  to: string;
  /** Entries per page, one of PAGE_SIZES as text; empty for the default. */
  limit: string;
}

/** A screenful, a page to scan, a long read; the server allows up to 500. */
export const PAGE_SIZES = [10, 50, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

const KEYS = ['actor', 'action', 'product', 'from', 'to', 'limit'] as const;

export function filterOf(query: URLSearchParams): AuditFilter {
  const f = { actor: '', action: '', product: '', from: '', to: '', limit: '' };
  for (const k of KEYS) f[k] = (query.get(k) ?? '').trim();
  return f;
}

/** The page size `filter` asks for; the default for anything not offered. */
export function pageSizeOf(filter: AuditFilter): number {
  const n = Number(filter.limit);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
}

/** The console query string for `filter`, leaving out empty fields; '' when nothing is filtered. */
export function filterQuery(filter: AuditFilter): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (filter[k].trim() !== '') q.set(k, filter[k].trim());
  if (pageSizeOf(filter) === DEFAULT_PAGE_SIZE) q.delete('limit');
  return q.toString();
}

/**
 * The `GET /api/v1/audit` query for one page. Local times become RFC 3339 instants; a time the
 * browser cannot read is left out rather than sent for the server to refuse.
 */
export function auditApiQuery(filter: AuditFilter, before: number | null): string {
  const q = new URLSearchParams();
  if (filter.product) q.set('product', filter.product);
  if (filter.actor) q.set('actor', filter.actor);
  if (filter.action) q.set('action', filter.action);
  for (const k of ['from', 'to'] as const) {
    const ms = filter[k] ? new Date(filter[k]).getTime() : NaN;
    if (Number.isFinite(ms)) q.set(k, new Date(ms).toISOString());
  }
  q.set('limit', String(pageSizeOf(filter)));
  if (before !== null) q.set('before', String(before));
  return q.toString();
}
