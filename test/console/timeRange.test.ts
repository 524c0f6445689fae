import { describe, expect, test } from 'vitest';
import { RANGES, rangeOf, windowOf } from '../../console/components/timeRange.js';

describe('time ranges', () => {
  test.each([
    ['1h', 60, 60],
    ['24h', 900, 96],
    ['7d', 3600, 168],
  ])('%s: %i s buckets, %i of them', (key, bucket, count) => {
    const range = rangeOf(key);
    expect(range.bucketSeconds).toBe(bucket);
    const w = windowOf(range, Date.parse('2026-01-01T10:00:30Z'));
    expect((w.to - w.from) / w.bucketSeconds).toBe(count);
    expect(w.from % bucket).toBe(0);
  });

  test('the window ends with the bucket that holds now', () => {
    const now = Date.parse('2026-01-01T10:00:30Z');
    const w = windowOf(RANGES[0]!, now);
    expect(new Date(w.to * 1000).toISOString()).toBe('2026-01-01T10:01:00.000Z');
    expect(w.to * 1000).toBeGreaterThan(now);
  });

  test('an unknown key is the default range', () => {
    expect(rangeOf('1y').key).toBe('1h');
    expect(rangeOf(null).key).toBe('1h');
  });
});
