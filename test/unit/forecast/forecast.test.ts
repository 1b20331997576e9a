// The forecast against an independent slow recomputation, asOf against a truncated history, clock
// changes, a lot with nothing to go on, and the bounds every answer keeps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitForecastModel,
  forecastFromHistory,
  forecastFromModel,
  localSlot,
  MIN_HISTORY_DAYS,
  quarterFigures,
} from '../../../shared/domain/forecast';
import { type OccupancyStep, replay } from '../../../shared/domain/observation';
import { wallClockToEpoch } from '../../../shared/domain/zoned-time';
import { bruteForecast } from './brute-force';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const LONDON = 'Europe/London';

const stepsOf = (obs: { at: number; occupied: number }[]): OccupancyStep[] =>
  replay(
    obs.map((o, i) => ({ kind: 'count' as const, eventId: `e${i}`, observedAt: o.at, occupied: o.occupied })),
  );

/** A history of whole-minute counts over `days` days from `start`, with gaps longer than staleAfter. */
const history = (start: number, days: number, capacity: number, minLength = 0) =>
  fc
    .array(
      fc.record({
        minute: fc.integer({ min: 0, max: days * 24 * 60 - 1 }),
        occupied: fc.integer({ min: -5, max: capacity + 20 }),
      }),
      { minLength, maxLength: 400 },
    )
    .map((xs) => stepsOf(xs.map((x) => ({ at: start + x.minute * MIN, occupied: x.occupied }))));

describe('forecast', () => {
  it('equals a brute-force recomputation from the history', { timeout: 120_000 }, () => {
    // Across the autumn clock change, so local slots move against UTC quarters inside the history.
    const start = Date.parse('2026-10-17T00:00:00Z');
    let profiled = 0;
    fc.assert(
      fc.property(
        // Mostly long enough for a profile (a week and more), some not.
        history(start, 10, 50, 150),
        fc.integer({ min: 5 * 24 * 4, max: 10 * 24 * 4 }),
        fc.array(fc.integer({ min: 5, max: 1440 }), { minLength: 1, maxLength: 4 }),
        (steps, asOfQuarter, horizons) => {
          const asOf = start + asOfQuarter * 15 * MIN + 7 * MIN;
          const fast = forecastFromHistory({
            steps,
            series: { capacity: 50, staleAfterMs: 2 * HOUR },
            asOf,
            horizons,
            fit: { timeZone: LONDON },
          });
          const slow = bruteForecast(steps, {
            capacity: 50,
            staleMs: 2 * HOUR,
            asOf,
            horizons,
            timeZone: LONDON,
            halfLife: 7,
          });
          expect(fast.points.map((p) => p.occupied)).toEqual(slow.occupied);
          expect(fast.points.map((p) => p.low)).toEqual(slow.low);
          expect(fast.points.map((p) => p.high)).toEqual(slow.high);
          if (fast.method.includes('profile')) profiled++;
        },
      ),
      { numRuns: 40 },
    );
    // Not only persistence was compared: histories long enough for a profile were drawn too.
    expect(profiled).toBeGreaterThan(5);
  });

  it('answers a past asOf exactly as a history truncated at asOf would', () => {
    const start = Date.parse('2026-03-20T00:00:00Z');
    fc.assert(
      fc.property(history(start, 14, 80), fc.integer({ min: 0, max: 14 * DAY }), (steps, offset) => {
        const asOf = start + offset;
        const horizons = [5, 15, 60, 240, 1440];
        const series = { capacity: 80, staleAfterMs: HOUR };
        const truncated = steps.filter((s) => s.at <= asOf);
        const a = forecastFromHistory({ steps, series, asOf, horizons, fit: { timeZone: LONDON } });
        const b = forecastFromHistory({
          steps: truncated,
          series,
          asOf,
          horizons,
          fit: { timeZone: LONDON },
        });
        expect(a).toEqual(b);
        // And the stored-model path: quarters computed over the whole history, model fitted at asOf.
        const quarters = quarterFigures(steps, series, start, start + 20 * DAY);
        const model = fitForecastModel(quarters, { timeZone: LONDON, fittedAt: asOf });
        const last = truncated[truncated.length - 1];
        const c = forecastFromModel({
          model: truncated.length ? model : null,
          last: last ? { at: last.at, occupied: last.occupied } : null,
          capacity: 80,
          asOf,
          horizons,
        });
        expect(c.points).toEqual(b.points);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps its profile on local time across both London clock changes', () => {
    for (const [year, month, day] of [
      [2026, 3, 29],
      [2026, 10, 25],
    ] as const) {
      // Three weeks either side of the change: full (100) from 09:00 to 17:00 local, empty otherwise.
      const obs: { at: number; occupied: number }[] = [];
      const change = wallClockToEpoch({ year, month, day }, LONDON);
      for (let t = change - 21 * DAY; t < change + 2 * DAY; t += 15 * MIN) {
        const localHour = Number(
          new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hour: 'numeric', hourCycle: 'h23' }).format(t),
        );
        obs.push({ at: t, occupied: localHour >= 9 && localHour < 17 ? 100 : 0 });
      }
      const steps = stepsOf(obs);
      // The day after the change at 07:00 local: 08:30 local is still empty, 09:30 local full, whatever UTC says.
      const asOf = wallClockToEpoch({ year, month, day: day + 1, hour: 7 }, LONDON);
      const { points, method } = forecastFromHistory({
        steps,
        series: { capacity: 100, staleAfterMs: HOUR },
        asOf,
        horizons: [90, 150],
        fit: { timeZone: LONDON },
      });
      expect(method).toEqual(['profile', 'profile']);
      expect(points.map((p) => p.occupied)).toEqual([0, 100]);
    }
    // 08:00 local is the same slot on an ordinary Sunday and on both change days.
    const eight = (d: number, m: number) =>
      localSlot(wallClockToEpoch({ year: 2026, month: m, day: d, hour: 8 }, LONDON), LONDON, 3).slot;
    expect(eight(29, 3)).toBe(eight(22, 3));
    expect(eight(25, 10)).toBe(eight(18, 10));
  });

  it('gives nulls without an observation and persistence without enough history', () => {
    const asOf = Date.parse('2026-06-01T12:00:00Z');
    const none = forecastFromHistory({
      steps: [],
      series: { capacity: 10, staleAfterMs: HOUR },
      asOf,
      horizons: [15, 60],
      fit: { timeZone: LONDON },
    });
    expect(none.points.map((p) => [p.occupied, p.free, p.low, p.high])).toEqual([
      [null, null, null, null],
      [null, null, null, null],
    ]);
    expect(none.points.map((p) => p.at)).toEqual([asOf + 15 * MIN, asOf + 60 * MIN]);
    // A few days of a varying lot: too little to learn a week from, so the last value, clamped.
    const steps = stepsOf(
      Array.from({ length: (MIN_HISTORY_DAYS - 2) * 96 }, (_, i) => ({
        at: asOf - i * 15 * MIN,
        occupied: i === 0 ? 13 : (i * 7) % 13,
      })).reverse(),
    );
    const few = forecastFromHistory({
      steps,
      series: { capacity: 10, staleAfterMs: HOUR },
      asOf,
      horizons: [15, 240],
      fit: { timeZone: LONDON },
    });
    expect(few.method).toEqual(['persistence', 'persistence']);
    expect(few.points.map((p) => p.occupied)).toEqual([10, 10]); // last value 13, capacity 10
  });

  it('answers integers in [0, capacity] with low ≤ occupied ≤ high for every horizon 5..1440', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 21 * DAY }),
        fc.array(fc.integer({ min: 5, max: 1440 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 1000 }),
        (capacity, offset, horizons, seed) => {
          const steps = stepsOf(
            Array.from({ length: 21 * 24 }, (_, i) => ({
              at: start + i * HOUR,
              occupied: ((i * seed) % (capacity + 40)) - 20,
            })),
          );
          const { points } = forecastFromHistory({
            steps,
            series: { capacity, staleAfterMs: 2 * HOUR },
            asOf: start + offset,
            horizons,
            fit: { timeZone: LONDON },
          });
          for (const [i, p] of points.entries()) {
            expect(p.horizonMinutes).toBe(horizons[i]);
            for (const v of [p.occupied, p.low, p.high, p.free]) {
              expect(Number.isInteger(v)).toBe(true);
              expect(v!).toBeGreaterThanOrEqual(0);
              expect(v!).toBeLessThanOrEqual(capacity);
            }
            expect(p.low!).toBeLessThanOrEqual(p.occupied!);
            expect(p.occupied!).toBeLessThanOrEqual(p.high!);
            expect(p.free).toBe(capacity - p.occupied!);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a model of a lot reporting every 5 minutes for weeks, per weekday, under 10 KB of JSON', () => {
    const start = Date.parse('2026-01-05T00:00:00Z');
    const steps = stepsOf(
      Array.from({ length: 28 * 288 }, (_, i) => ({
        at: start + i * 5 * MIN,
        occupied: 1000 + ((i * 37) % 997),
      })),
    );
    const quarters = quarterFigures(steps, { capacity: 2000, staleAfterMs: HOUR }, start, start + 28 * DAY);
    const model = fitForecastModel(quarters, { timeZone: LONDON, fittedAt: start + 28 * DAY, dayTypes: 7 });
    expect(model.profile.every((p) => p !== null)).toBe(true);
    expect(JSON.stringify(model).length).toBeLessThan(10_000);
  });
});
