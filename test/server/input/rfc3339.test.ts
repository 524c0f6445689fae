/** Date-times as the API reads them: strict RFC 3339, within what PostgreSQL and Date both read. */
import { describe, expect, test } from 'vitest';
import { isRfc3339DateTime } from '../../../server/input/rfc3339.js';

describe('isRfc3339DateTime', () => {
  test.each([
    '2026-01-01T00:00:00Z', '2028-02-29T23:59:59Z', '2000-02-29T12:00:00Z', '2026-04-30T00:00:00+02:00', '2026-12-31T23:59:59.999999-05:30',
    '1000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-06-01T12:00:00+15:59', '2026-06-01T12:00:00-15:59', '2026-06-01t12:00:00z',
    '2026-06-01T12:00:00.123456789Z',
  ])('accepts %s', (s) => {
    expect(isRfc3339DateTime(s)).toBe(true);
    expect(Number.isNaN(Date.parse(s))).toBe(false);
  });

  test.each([
    ['a day past the month', '2026-02-30T00:00:00Z'], ['29 February of a common year', '2025-02-29T00:00:00Z'],
    ['29 February of a century', '1900-02-29T00:00:00Z'], ['31 April', '2026-04-31T00:00:00Z'], ['year 0000', '0000-01-01T00:00:00Z'], ['year 0001', '0001-01-01T00:00:00Z'], ['year 0999', '0999-12-31T23:59:59Z'],
    ['month 13', '2026-13-01T00:00:00Z'], ['month 00', '2026-00-01T00:00:00Z'], ['day 00', '2026-01-00T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'], ['minute 60', '2026-01-01T23:60:00Z'], ['a leap second', '2016-12-31T23:59:60Z'],
    ['offset +16:00', '2026-01-01T00:00:00+16:00'], ['offset -23:59', '2026-01-01T00:00:00-23:59'], ['offset minutes 60', '2026-01-01T00:00:00+01:60'],
    ['no offset', '2026-01-01T00:00:00'], ['no time', '2026-01-01'], ['an expanded year', '+012026-01-01T00:00:00Z'],
    ['a five-digit year', '10000-01-01T00:00:00Z'], ['one-digit month', '2026-1-01T00:00:00Z'], ['a space for T', '2026-01-01 00:00:00Z'],
    ['an empty fraction', '2026-01-01T00:00:00.Z'], ['ten fraction digits', '2026-01-01T00:00:00.1234567890Z'], ['no seconds', '2026-01-01T00:00Z'],
    ['infinity', 'infinity'], ['a trailing newline', '2026-01-01T00:00:00Z\n'], ['empty', ''],
  ])('refuses %s', (_name, s) => {
    expect(isRfc3339DateTime(s)).toBe(false);
  });
});
