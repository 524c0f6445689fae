/** Column values as the API shows them: timestamps as ISO text, whichever driver read them. */

/** PGlite and pg return `timestamptz` as Date; text is accepted too. */
export function iso(v: unknown): string {
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

/** The next id of a serial column, taken before the INSERT so the row can name itself (its own URL). */
export async function nextId(q: { query<T>(sql: string): Promise<{ rows: T[] }> }, table: 'resources' | 'strategies'): Promise<number> {
  const r = await q.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('${table}', 'id'))::int AS id`);
  return Number(r.rows[0]?.id);
}
