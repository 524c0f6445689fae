// What an audit entry changed, in one line: the top-level fields whose value differs between `before`
// and `after`, e.g. `status: gray → off`. The full JSON stays one click away.

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** Fields that move on every write and say nothing about what was asked for. */
const NOISE = new Set(['updatedAt', 'version']);
const MAX_TEXT = 80;

function show(v: unknown): string {
  if (v === undefined) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The changed fields when both sides are objects; [] otherwise (a create or a delete shows its JSON). */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    // A field that is missing on one side and null on the other did not change.
    .filter((f) => !NOISE.has(f) && JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
    .map((f) => ({ field: f, before: show(before[f]), after: show(after[f]) }));
}
