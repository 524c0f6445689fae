/**
 * What every bench section hands back: tables (each figure beside its baseline, the ratio last) and the
 * performance goals read off them. `met: null` means not measured, which never counts as met.
 */

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table: how it was measured, what was skipped and why. */
  notes: string[];
}

export interface Goal {
  name: string;
  target: string;
  actual: string;
  met: boolean | null;
}

export interface SectionResult {
  tables: Table[];
  goals: Goal[];
}

/** A section that could not run at all still answers with its rows, each saying why. */
export function notMeasured(reason: string): string {
  return `not measured: ${reason}`;
}

export function renderTable(t: Table): string {
  const head = `| ${t.columns.join(' | ')} |`;
  const rule = `|${t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  const body = t.rows.map((r) => `| ${r.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
  const notes = t.notes.length > 0 ? ['', ...t.notes.map((n) => `- ${n}`)] : [];
  return [`### ${t.title}`, '', head, rule, ...body, ...notes, ''].join('\n');
}

export function renderGoals(goals: Goal[]): string {
  const mark = (m: boolean | null): string => (m === null ? 'not measured' : m ? 'met' : 'NOT met');
  const rows = goals.map((g) => `| ${g.name} | ${g.target} | ${g.actual.replaceAll('|', '\\|')} | ${mark(g.met)} |`);
  const met = goals.filter((g) => g.met === true).length;
  const missed = goals.filter((g) => g.met === false).length;
  const unmeasured = goals.filter((g) => g.met === null).length;
  return [
    '### Goals',
    '',
    '| goal | target | measured | result |',
    '|---|---|---|---|',
    ...rows,
    '',
    `${met} met, ${missed} not met, ${unmeasured} not measured.`,
    '',
  ].join('\n');
}

/** Thousands separators, fixed decimals: tables compare better when every number reads the same way. */
export function num(n: number, decimals = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  const r = a / b;
  return `${r >= 10 ? num(r, 1) : r >= 0.1 ? num(r, 2) : num(r, 4)}×`;
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 200);
}
