/** Durations for people reading a terminal: `0s`, `45s`, `10m`, `1h 2m 5s`, `2d 3h`. */
import { durationParts } from '../../../core/durationParts.js';

/** What `parseDuration` reads after the number; no unit is seconds. */
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * Whole seconds as days, hours, minutes and seconds, zero units left out.
 * @example formatDuration(3725) // '1h 2m 5s'
 */
export function formatDuration(seconds: number): string {
  return durationParts(Math.round(seconds), 4).map(([n, unit]) => `${n}${unit === 'min' ? 'm' : unit}`).join(' ');
}

/**
 * A hold as written on the command line, for `--stages`: whole seconds, or with a unit (`90s`, `30m`,
 * `2h`, `1d`). Null when it is neither.
 * @example parseDuration('30m') // 1800
 */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  if (m === null) return null;
  const size = UNITS[m[2]!] ?? 1;
  return Number(m[1]) * size;
}
