// Lots in every state a driver can see, as domain lot views at one instant, for the format tests.
import fc from 'fast-check';
import { LOT_FEATURES, LOT_TYPES, type Lot, type LotView, toLotView } from '../../../shared/domain/lot';
import { loadOpeningHours } from '../../../shared/domain/opening-hours';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

export const NOW = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;

export const baseLot = (over: Partial<Lot> = {}): Lot => ({
  id: 'bull-ring',
  name: 'Bull Ring',
  location: { lat: 52.477, lon: -1.894 },
  capacity: 100,
  type: 'garage',
  features: ['ev', 'accessible', 'covered', 'bicycle'],
  zone: 'centre',
  timeZone: 'Europe/London',
  staleAfterSeconds: 3600,
  openingHours: 'Mo-Su 06:00-23:00',
  closed: false,
  occupied: 40,
  lastAt: NOW - 2 * MINUTE,
  ...over,
});

/** One lot per status, plus raw counts outside [0, capacity]. */
export const CASES: Record<string, LotView> = {
  fresh: toLotView(baseLot(), NOW, hours),
  full: toLotView(baseLot({ occupied: 100 }), NOW, hours),
  stale: toLotView(baseLot({ lastAt: NOW - 2 * 3600_000 }), NOW, hours),
  nodata: toLotView(baseLot({ occupied: null, lastAt: null }), NOW, hours),
  closed: toLotView(baseLot({ closed: true }), NOW, hours),
  // 10:00 on a Monday in London: outside 'Mo-Su 12:00-20:00', opening at noon.
  outsideHours: toLotView(baseLot({ openingHours: 'Mo-Su 12:00-20:00' }), NOW, hours),
  overCapacity: toLotView(baseLot({ occupied: 130, type: 'park_and_ride', features: [] }), NOW, hours),
  negative: toLotView(baseLot({ occupied: -5, type: 'on_street', openingHours: undefined }), NOW, hours),
};

/** Any lot the API accepts, in any state, anywhere on Earth. */
export const anyLotView = fc
  .record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    capacity: fc.integer({ min: 1, max: 100_000 }),
    occupied: fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 })),
    ageSeconds: fc.integer({ min: 0, max: 7 * 86_400 * 2 }),
    staleAfterSeconds: fc.integer({ min: 60, max: 7 * 86_400 }),
    type: fc.constantFrom(...LOT_TYPES),
    features: fc.subarray([...LOT_FEATURES]),
    closed: fc.boolean(),
    openingHours: fc.option(fc.string({ maxLength: 255 }), { nil: undefined }),
  })
  .map((r) =>
    toLotView(
      baseLot({
        location: { lat: r.lat, lon: r.lon },
        capacity: r.capacity,
        occupied: r.occupied,
        lastAt: r.occupied === null ? null : NOW - r.ageSeconds * 1000,
        staleAfterSeconds: r.staleAfterSeconds,
        type: r.type,
        features: r.features,
        closed: r.closed,
        openingHours: r.openingHours,
      }),
      NOW,
      hours,
    ),
  );
