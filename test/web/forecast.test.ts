// The pages' forecast helpers (web/lib/forecast.ts; English, as outside a page): the arrival time
// the driver page asks for, the free-space range and words of a prediction over every prediction
// the API can send for small capacities, and the dashboard's horizons within the route's bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORECAST_HORIZONS, MAX_ARRIVE_AHEAD_MS } from '../../shared/domain/forecast/serving';
import {
  ARRIVAL_MINUTES,
  arriveAtFor,
  DAY_HORIZONS,
  freeRange,
  fullPoints,
  predictionText,
} from '../../web/lib/forecast';
import { fmtTime } from '../../web/lib/format';

const TIME_DOMAIN_END = Date.parse('2200-01-01T00:00:00Z');

describe('forecast helpers of the pages', () => {
  it('asks for no arrival for "now" and for now + the choice otherwise, within what nearby accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: TIME_DOMAIN_END - MAX_ARRIVE_AHEAD_MS }), (now) => {
        expect(arriveAtFor(now, 0)).toBeNull();
        for (const minutes of ARRIVAL_MINUTES.filter((m) => m > 0)) {
          const at = arriveAtFor(now, minutes);
          expect(at).not.toBeNull();
          expect(Date.parse(at!) - now).toBe(minutes * 60_000);
          expect(Date.parse(at!) - now).toBeLessThanOrEqual(MAX_ARRIVE_AHEAD_MS);
        }
      }),
    );
  });

  it('turns every occupied range of every capacity up to 60 into the free range it implies', () => {
    const wrong: string[] = [];
    for (let capacity = 0; capacity <= 60; capacity++) {
      for (let low = 0; low <= capacity; low++) {
        for (let high = low; high <= capacity; high++) {
          const range = freeRange({ low, high }, capacity);
          if (range.low !== capacity - high || range.high !== capacity - low) {
            wrong.push(`${capacity} ${low}–${high}: ${range.low}–${range.high}`);
          }
          // Every free figure an occupied figure in the range implies lies in the free range.
          if (capacity - high < range.low || capacity - low > range.high)
            wrong.push(`${capacity} ${low}–${high}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('words a prediction with its figure, time and range, and without a range when it is one figure', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: TIME_DOMAIN_END - 1 }),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (capacity, ms, [a, b], c) => {
          const low = Math.floor(Math.min(a, b) * capacity);
          const high = Math.floor(Math.max(a, b) * capacity);
          const occupied = low + Math.floor(c * (high - low));
          const at = new Date(ms).toISOString();
          const p = { at, occupied, free: capacity - occupied, low, high };
          const text = predictionText(p, capacity, 'UTC');
          const free = (capacity - occupied).toLocaleString('en-GB');
          const time = fmtTime(at, 'UTC');
          expect(time).toMatch(/^\d\d:\d\d$/);
          expect(time).toBe(at.slice(11, 16));
          const range = `(${(capacity - high).toLocaleString('en-GB')}–${(capacity - low).toLocaleString('en-GB')})`;
          expect(text).toBe(`about ${free} free at ${time}${low === high ? '' : ` ${range}`}`);
        },
      ),
    );
  });

  it('asks the forecast route for at most its count of horizons, within its bounds, up to 24 h', () => {
    expect(DAY_HORIZONS.length).toBeLessThanOrEqual(FORECAST_HORIZONS.maxCount);
    expect(
      DAY_HORIZONS.every((h) => h >= FORECAST_HORIZONS.minMinutes && h <= FORECAST_HORIZONS.maxMinutes),
    ).toBe(true);
    expect([...DAY_HORIZONS].sort((x, y) => x - y)).toEqual([...DAY_HORIZONS]);
    expect(new Set(DAY_HORIZONS).size).toBe(DAY_HORIZONS.length);
    expect(DAY_HORIZONS.at(-1)).toBe(24 * 60);
    // No gap of more than 4 hours, so the chart's line has a point at least every 4 hours.
    const gaps = DAY_HORIZONS.map((h, i) => h - (DAY_HORIZONS[i - 1] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(240);
  });

  it('keeps only the points with every figure', () => {
    const at = '2026-12-07T12:00:00.000Z';
    const full = { horizonMinutes: 60, at, occupied: 5, free: 5, low: 3, high: 7 };
    const none = { horizonMinutes: 120, at, occupied: null, free: null, low: null, high: null };
    expect(fullPoints([full, none, { ...full, horizonMinutes: 180 }])).toEqual([
      { at, occupied: 5, free: 5, low: 3, high: 7 },
      { at, occupied: 5, free: 5, low: 3, high: 7 },
    ]);
    expect(fullPoints([none])).toEqual([]);
  });
});
