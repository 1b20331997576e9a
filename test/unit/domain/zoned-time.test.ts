import { describe, expect, it } from 'vitest';
import { parseNaiveLocal, wallClockToEpoch, zoneOffsetMs } from '../../../shared/domain/zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('wall-clock time in a zone', () => {
  it('reads UK summer time as UTC+1 and winter time as UTC+0', () => {
    expect(iso(parseNaiveLocal('2016-10-04 07:59:42', 'Europe/London'))).toBe('2016-10-04T06:59:42.000Z');
    expect(iso(parseNaiveLocal('2016-12-19 16:30:35', 'Europe/London'))).toBe('2016-12-19T16:30:35.000Z');
  });

  it('takes the first of the repeated hour when clocks go back', () => {
    expect(iso(parseNaiveLocal('2026-10-25 01:30:00', 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('moves a skipped time forward by the gap when clocks go forward', () => {
    expect(iso(parseNaiveLocal('2026-03-29 01:30:00', 'Europe/London'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('handles half-hour zones and fractions of a second', () => {
    expect(iso(wallClockToEpoch({ year: 2026, month: 1, day: 1 }, 'Asia/Kolkata'))).toBe(
      '2025-12-31T18:30:00.000Z',
    );
    expect(iso(parseNaiveLocal('2014-11-03 10:15:30.25', 'Europe/Copenhagen'))).toBe(
      '2014-11-03T09:15:30.250Z',
    );
    expect(zoneOffsetMs(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * 3_600_000);
  });

  it('rejects text that is not a local time', () => {
    expect(() => parseNaiveLocal('04/10/2016 07:59', 'Europe/London')).toThrow(RangeError);
  });
});
