/** A span of time in its largest units, for people: the console's "1 h 30 min", the CLI's "1h 30m 5s". */

export type DurationUnit = 'd' | 'h' | 'min' | 's';

const UNITS: ReadonlyArray<readonly [DurationUnit, number]> = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];

/**
 * The non-zero units among the `most` largest, starting at the first non-zero one, of `seconds` (rounded
 * down to whole seconds; 0 and less are `[[0, 's']]`).
 * @example durationParts(5_430) // [[1, 'h'], [30, 'min']]
 * @example durationParts(86_403, 4) // [[1, 'd'], [3, 's']]
 */
export function durationParts(seconds: number, most = 2): Array<[number, DurationUnit]> {
  let left = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const parts: Array<[number, DurationUnit]> = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0 || parts.length > 0) parts.push([n, unit]);
    if (parts.length === most) break;
  }
  const shown = parts.filter(([n]) => n > 0);
  return shown.length === 0 ? [[0, 's']] : shown;
}
