import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  formatLocalIso,
  formatOffset,
  parseIsoInstant,
  parseNaiveLocal,
  utcFromFields,
  wallClockToEpoch,
  zoneOffsetMs,
} from '../../../shared/domain/zoned-time';

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

  it('reads the years 0000–0099 as themselves, where Date.UTC would read 1900–1999', () => {
    expect(utcFromFields(50, 3, 1)).toBe(Date.parse('0050-03-01T00:00:00Z'));
    expect(utcFromFields(70, 1, 1)).not.toBe(0);
    expect(iso(wallClockToEpoch({ year: 2026, month: 1, day: 1 }, 'UTC'))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('knows offsets with seconds and minutes that are not quarter hours', () => {
    expect(zoneOffsetMs(Date.parse('1971-06-01T00:00:00Z'), 'Africa/Monrovia')).toBe(-(44 * 60 + 30) * 1000);
    expect(zoneOffsetMs(Date.parse('1975-06-01T00:00:00Z'), 'Pacific/Kiritimati')).toBe(
      -(10 * 60 + 40) * 60_000,
    );
    expect(zoneOffsetMs(Date.parse('1840-06-01T00:00:00Z'), 'Europe/London')).toBe(-75_000);
  });
});

describe('written offsets and instants', () => {
  it('writes offsets as ±hh:mm, or ±hh:mm:ss when they have seconds', () => {
    expect(formatOffset(0)).toBe('+00:00');
    expect(formatOffset(5.75 * 3_600_000)).toBe('+05:45');
    expect(formatOffset(-(44 * 60 + 30) * 1000)).toBe('-00:44:30');
    expect(formatOffset(-75_000)).toBe('-00:01:15');
    expect(formatOffset(14 * 3_600_000)).toBe('+14:00');
  });

  it('writes milliseconds only when there are any, and reads back what it writes', () => {
    const ms = Date.parse('1971-06-01T12:00:00.250Z');
    const text = formatLocalIso(ms, 'Africa/Monrovia');
    expect(text).toBe('1971-06-01T11:15:30.250-00:44:30');
    expect(parseIsoInstant(text)).toBe(ms);
    expect(formatLocalIso(Date.parse('2026-07-01T00:00:00Z'), 'Europe/London')).toBe(
      '2026-07-01T01:00:00+01:00',
    );
  });

  it('reads ISO-8601 instants with Z, ±hh:mm or ±hh:mm:ss and refuses impossible ones', () => {
    expect(parseIsoInstant('2026-11-23T10:00:00Z')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(parseIsoInstant('2026-11-23T10:00Z')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(parseIsoInstant('2026-11-23T10:00:00.5+01:00')).toBe(Date.parse('2026-11-23T09:00:00.500Z'));
    expect(parseIsoInstant('0070-01-01T00:00:00Z')).toBe(Date.parse('0070-01-01T00:00:00Z'));
    for (const bad of [
      '2026-02-29T00:00:00Z',
      '2026-11-23T24:00:00Z',
      '2026-11-23T10:60:00Z',
      '2026-11-23T10:00:00+24:00',
      '2026-11-23',
      '2026-11-23T10:00:00',
    ]) {
      expect(parseIsoInstant(bad), bad).toBeNull();
    }
  });
});

describe('time zone names', () => {
  it('spells a zone the canonical way whatever the letter case', () => {
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('EUROPE/LONDON')).toBe('Europe/London');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Europe/Nowhere')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });

  it('is idempotent for every zone the runtime lists', () => {
    for (const tz of [...Intl.supportedValuesOf('timeZone'), 'UTC']) {
      const canonical = canonicalTimeZone(tz)!;
      expect(canonical, tz).not.toBeNull();
      expect(canonicalTimeZone(canonical), tz).toBe(canonical);
      expect(canonicalTimeZone(tz.toLowerCase()), tz).toBe(canonical);
    }
  });
});
