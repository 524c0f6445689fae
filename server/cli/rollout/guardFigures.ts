/**
 * The figures a rollout's last decision rested on (`decision.figures`), as lines for a terminal. The
 * object grows as the server learns to count more, so every field is read on its own: a missing or
 * unknown one is skipped, never fatal.
 */
import { formatDuration } from './formatDuration.js';
import { isObj } from './rolloutAnswer.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A fraction as a percent with at most two decimals, as the server's sentences write rates: 0.0125 → `1.25%`. */
export const percent = (rate: number): string => `${Number((rate * 100).toFixed(2))}%`;

function counted(n: number, one: string, many: string, rate: unknown): string {
  const r = num(rate);
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}${r === null ? '' : ` (${percent(r)})`}`;
}

/** `240 exposures · 3 fallbacks (1.25%) · 0 errors (0%) · 12 unsigned`, or null when the object holds none of them. */
function buildFigures(b: unknown): string | null {
  if (!isObj(b)) return null;
  const parts: string[] = [];
  const exposures = num(b['exposures']);
  const fallbacks = num(b['fallbacks']);
  const errors = num(b['errors']);
  if (exposures !== null) parts.push(counted(exposures, 'exposure', 'exposures', null));
  if (fallbacks !== null) parts.push(counted(fallbacks, 'fallback', 'fallbacks', b['fallbackRate']));
  if (errors !== null) parts.push(counted(errors, 'error', 'errors', b['errorRate']));
  // Reports without a report token, each taken as one user (FINCH_REPORT_TOKENS=optional).
  const unsigned = num(b['unsigned']);
  if (unsigned !== null && parts.length > 0) parts.push(`${unsigned.toLocaleString('en')} unsigned`);
  return parts.length === 0 ? null : parts.join(' · ');
}

function builds(figures: Record<string, unknown>): Array<{ name: string; resourceId: number | null; text: string }> {
  return (['gray', 'stable'] as const).flatMap((name) => {
    const b = figures[name];
    const text = buildFigures(b);
    return text === null ? [] : [{ name, resourceId: isObj(b) ? num(b['resourceId']) : null, text }];
  });
}

/**
 * A heading and one line per build, or nothing without figures.
 * @example figureLines({ counting: 'reports', gray: { resourceId: 42, exposures: 240, … } })
 * // ['guard figures (counting reports, window 3m):', '  gray   resource 42: 240 exposures · …']
 */
export function figureLines(figures: unknown): string[] {
  if (!isObj(figures)) return [];
  const lines = builds(figures);
  if (lines.length === 0) return [];
  const w = isObj(figures['window']) ? figures['window'] : {};
  const span = (Date.parse(String(w['to'])) - Date.parse(String(w['from']))) / 1000;
  const about = [
    // `reports`, `users`, `users-and-unsigned-reports`, or whatever the server counts next.
    typeof figures['counting'] === 'string' ? `counting ${figures['counting'].replaceAll('-', ' ')}` : null,
    Number.isFinite(span) ? `window ${formatDuration(span)}` : null,
  ].filter((a) => a !== null);
  return [
    `guard figures${about.length > 0 ? ` (${about.join(', ')})` : ''}:`,
    ...lines.map((b) => `  ${b.resourceId === null ? b.name : `${b.name.padEnd(6)} resource ${b.resourceId}`}: ${b.text}`),
  ];
}

/** The same figures on one line, for logs: `gray 240 exposures · 3 fallbacks (1.25%); stable …`. */
export function figureSummary(figures: unknown): string | null {
  if (!isObj(figures)) return null;
  const lines = builds(figures);
  return lines.length === 0 ? null : lines.map((b) => `${b.name} ${b.text}`).join('; ');
}
