/**
 * Strict RFC 3339 date-times (`2026-02-28T13:05:00Z`, `…T13:05:00.250+02:00`), also within what
 * PostgreSQL's timestamptz, its drivers and JavaScript's Date all read the same: years 1000–9999
 * (PostgreSQL has no year 0, and the embedded database's driver reads years 1–99 back as 19xx/20xx;
 * no release window needs them), real calendar days, hours 00–23, minutes and seconds 00–59 (no leap
 * second: Date.parse refuses :60), and offsets up to ±15:59 (PostgreSQL refuses more; real zones span
 * −12:00 to +14:00).
 */

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** See above: the years every layer reads back unchanged start here. */
const MIN_YEAR = 1000;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysIn(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isRfc3339DateTime(s: string): boolean {
  const m = SHAPE.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[9] !== undefined && (Number(m[10]) > 15 || Number(m[11]) > 59)) return false;
  return true;
}
