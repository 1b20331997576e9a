// Opening hours evaluated in the lot's zone, whatever zone the process runs in: checked against
// Intl's wall clock (an independent oracle) in every IANA zone at instants over the whole time domain.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOSES_AT_HORIZON_MS,
  loadOpeningHours,
  OPENS_AT_HORIZON_MS,
} from '../../../shared/domain/opening-hours';
import { TIME_DOMAIN } from '../../../shared/domain/time-domain';

const { state: openingState, isOpenAt, problem: openingHoursProblem } = await loadOpeningHours();

const PROCESS_ZONE = 'Pacific/Chatham'; // +12:45/+13:45 with DST: unlike any lot's below
let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = PROCESS_ZONE;
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const place = (openingHours: string, timeZone: string) => ({
  openingHours,
  timeZone,
  location: { lat: 52.48, lon: -1.9 },
});
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Local wall clock in `timeZone`, by Intl: minutes since local midnight. */
function localMinutes(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get('hour') * 60 + get('minute');
}
function offsetMinutes(ms: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?/.exec(name ?? '');
  if (!m?.[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60);
}

describe('opening hours in the lot time zone', () => {
  it('closes on Sunday and opens Monday 08:00 local across the end of UK summer time', () => {
    const saturdayNight = Date.parse('2026-10-24T20:00:00Z'); // 21:00 BST; clocks go back Sunday
    const state = openingState(place('Mo-Sa 08:00-18:00', 'Europe/London'), saturdayNight);
    expect(state).toEqual({ open: false, opensAt: Date.parse('2026-10-26T08:00:00Z'), closesAt: null });
    // In summer time the same rule opens an hour earlier in UTC.
    const summer = openingState(place('Mo-Sa 08:00-18:00', 'Europe/London'), Date.parse('2026-10-17T20:00Z'));
    expect(iso(summer.opensAt)).toBe('2026-10-19T07:00:00.000Z');
  });

  it('spans midnight with Fr 18:00-02:00, also when the clocks went forward that Friday (Jerusalem)', () => {
    const hours = place('Fr 18:00-02:00', 'Asia/Jerusalem');
    // Israel's summer time starts Friday 2027-03-26 02:00 (+02:00 → +03:00).
    const thursday = Date.parse('2027-03-25T18:00:00Z'); // 20:00 local, +02:00
    expect(openingState(hours, thursday)).toEqual({
      open: false,
      opensAt: Date.parse('2027-03-26T15:00:00Z'), // Friday 18:00 at +03:00
      closesAt: null,
    });
    const fridayLate = Date.parse('2027-03-26T21:30:00Z'); // 00:30 Saturday local
    expect(openingState(hours, fridayLate)).toEqual({
      open: true,
      opensAt: null,
      closesAt: Date.parse('2027-03-26T23:00:00Z'), // Saturday 02:00 at +03:00
    });
    const saturday = Date.parse('2027-03-27T00:00:00Z'); // 03:00 local: closed until next Friday
    expect(iso(openingState(hours, saturday).opensAt)).toBe('2027-04-02T15:00:00.000Z');
  });

  it('says closesAt only within 24 hours and opensAt only within 7 days', () => {
    const monday = Date.parse('2026-11-23T09:00:00Z');
    expect(openingState(place('24/7', 'Europe/London'), monday)).toEqual({
      open: true,
      opensAt: null,
      closesAt: null,
    });
    expect(openingState(place('Mo-Fr 08:00-18:00', 'UTC'), monday).closesAt).toBe(
      Date.parse('2026-11-23T18:00:00Z'),
    );
    expect(openingState(place('2027 Jan 01 10:00-11:00', 'UTC'), monday)).toEqual({
      open: false,
      opensAt: null,
      closesAt: null,
    });
    expect(isOpenAt(place('Mo-Fr 08:00-18:00', 'UTC'), monday)).toBe(true);
    expect(isOpenAt(place('Mo-Fr 08:00-18:00', 'UTC'), monday + 10 * 3_600_000)).toBe(false);
  });

  it('leaves the process time zone as it found it', () => {
    openingState(place('Mo-Fr 08:00-18:00', 'America/New_York'), Date.parse('2026-11-23T09:00:00Z'));
    expect(process.env.TZ).toBe(PROCESS_ZONE);
    expect(new Date('2026-11-23T09:00:00Z').getHours()).toBe(22); // Chatham +13:45 in November
  });

  it('names why a value cannot be evaluated, and accepts what OSM mappers write', () => {
    expect(openingHoursProblem('Mo-Fr 08:00-18:00; Sa 09:00-12:00')).toBeNull();
    expect(openingHoursProblem('sunrise-sunset')).toBeNull();
    expect(openingHoursProblem('Fr 18:00-02:00')).toBeNull();
    expect(openingHoursProblem('open when the attendant is in')).toMatch(/opening_hours/);
    expect(openingHoursProblem('')).toMatch(/opening_hours/);
    expect(openingHoursProblem('PH off')).toMatch(/PH/);
    // Refused before the parser sees it, which takes minutes over 256 KiB.
    const started = performance.now();
    expect(openingHoursProblem('Mo-Fr 08:00-18:00,'.repeat(15_000))).toMatch(/longer than 255/);
    expect(performance.now() - started).toBeLessThan(5000); // liveness, not speed
  });

  it('answers Mo-Su 09:00-17:00 as the local wall clock says, in every IANA zone over the whole time domain', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const hours = 'Mo-Su 09:00-17:00';
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: TIME_DOMAIN.start, max: TIME_DOMAIN.end - 8 * 86_400_000 }),
        (zone, at) => {
          const state = openingState(place(hours, zone), at);
          const local = localMinutes(at, zone);
          // Where the offset changes within a day either side, a gap or a repeat may shift the
          // boundary: the wall-clock oracle below holds only away from them.
          const steady = [-1, 1, 2].every(
            (d) => offsetMinutes(at + d * 86_400_000, zone) === offsetMinutes(at, zone),
          );
          if (!steady) return;
          checked++;
          expect(state.open).toBe(local >= 540 && local < 1020);
          if (state.open) {
            expect(state.closesAt).not.toBeNull();
            expect(state.closesAt! - at).toBeGreaterThan(0);
            expect(state.closesAt! - at).toBeLessThanOrEqual(CLOSES_AT_HORIZON_MS);
            expect(localMinutes(state.closesAt!, zone)).toBe(1020);
          } else {
            expect(state.opensAt).not.toBeNull();
            expect(state.opensAt! - at).toBeGreaterThan(0);
            expect(state.opensAt! - at).toBeLessThanOrEqual(OPENS_AT_HORIZON_MS);
            expect(localMinutes(state.opensAt!, zone)).toBe(540);
          }
        },
      ),
      { numRuns: 1500, seed: 20261207 },
    );
    expect(checked).toBeGreaterThan(1000);
    // Every zone at least once, at a fixed instant.
    for (const zone of zones) {
      const at = Date.parse('2026-11-23T12:00:00Z');
      expect(openingState(place(hours, zone), at).open).toBe(
        localMinutes(at, zone) >= 540 && localMinutes(at, zone) < 1020,
      );
    }
  });

  it('evaluates a value once for all the lots that share it, wherever they are', () => {
    // A wide search or the cluster rebuild meets thousands of lots with a few distinct values;
    // keyed by place, each lot cost a parse (20,000 lots: ~21 s of blocked event loop).
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) {
      const at = { lat: 52 + i * 1e-5, lon: -1.9 + i * 1e-5 };
      openingState(
        { ...place('Mo-Sa 06:00-24:00; Su 08:00-22:00', 'Europe/London'), location: at },
        1_796_000_000_000,
      );
    }
    expect(performance.now() - started).toBeLessThan(5000); // liveness, not speed
  });

  it('bounds the work of a pathological value: a change every hour for a week', () => {
    // 20 one-minute openings an hour apart: 280 state changes a week, in 255 characters.
    const t = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    const ranges = Array.from({ length: 20 }, (_, h) => `${t(h + 1, 0)}-${t(h + 1, 1)}`).join(',');
    const value = `Mo-Su ${ranges}`;
    expect(value.length).toBeLessThanOrEqual(255);
    expect(openingHoursProblem(value)).toBeNull();
    const started = performance.now();
    const state = openingState(place(value, 'Europe/London'), Date.parse('2026-11-23T12:30:00Z'));
    expect(state.open).toBe(false);
    expect(iso(state.opensAt)).toBe('2026-11-23T13:00:00.000Z');
    // Closed for a week but for minutes the value never reaches: bounded by the look-ahead.
    const rare = openingState(
      place('Mo-Su 23:59-24:00; 2099 Jan 01 off', 'UTC'),
      Date.parse('2026-11-23T12:30Z'),
    );
    expect(iso(rare.opensAt)).toBe('2026-11-23T23:59:00.000Z');
    expect(performance.now() - started).toBeLessThan(5000); // liveness, not speed
  });
});
