// The pages' opening-hours words (web/lib/hours.ts), the dashboard's cluster sums and sizes
// (web/lib/clusters.ts) and the boxes it asks for at every area it offers (web/lib/geometry.ts), in
// English as outside a page: times in the lot's own zone, whatever zone the test process runs in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE as SERVICE_METRES_PER_DEGREE } from '../../shared/geo';
import { BboxQuerySchema } from '../../shared/http/schemas';
import { clusterRadius, clusterTotals } from '../../web/lib/clusters';
import { bboxAround, METRES_PER_DEGREE } from '../../web/lib/geometry';
import { hoursText } from '../../web/lib/hours';

const NOW = Date.parse('2026-12-07T13:00:00Z');
const ZONES = Intl.supportedValuesOf('timeZone');

/** The wall-clock "HH:MM" of an instant in a zone, from Intl's parts (not from the code under test). */
function wallClock(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${get('hour')}:${get('minute')}`;
}

describe('opening hours on the pages', () => {
  it("says when an open lot closes, at the lot's wall clock, in every zone", () => {
    for (const timeZone of ZONES) {
      const closesAt = new Date(NOW + 5 * 3_600_000 + 17 * 60_000).toISOString();
      const text = hoursText({ status: 'available', opensAt: null, closesAt, timeZone }, NOW);
      expect(text, timeZone).toBe(`closes at ${wallClock(Date.parse(closesAt), timeZone)}`);
    }
  });

  it('says when a closed lot opens, naming the weekday only beyond a day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 * 1440 }), fc.constantFrom(...ZONES), (minutes, timeZone) => {
        const at = NOW + minutes * 60_000;
        const text = hoursText(
          { status: 'closed', opensAt: new Date(at).toISOString(), closesAt: null, timeZone },
          NOW,
        );
        const weekday = new Date(at).toLocaleDateString('en-GB', { timeZone, weekday: 'short' });
        expect(text).toMatch(/^opens at /);
        expect(text?.endsWith(wallClock(at, timeZone))).toBe(true);
        expect(text?.includes(weekday)).toBe(minutes > 1440);
      }),
    );
  });

  it('says nothing without a change to tell (no hours, or closed by staff)', () => {
    const timeZone = 'Europe/London';
    expect(hoursText({ status: 'available', opensAt: null, closesAt: null, timeZone }, NOW)).toBeNull();
    expect(hoursText({ status: 'closed', opensAt: null, closesAt: null, timeZone }, NOW)).toBeNull();
    // A closed lot's closesAt (never sent) is not read as "closes at".
    const closesAt = new Date(NOW + 3_600_000).toISOString();
    expect(hoursText({ status: 'closed', opensAt: null, closesAt, timeZone }, NOW)).toBeNull();
  });
});

describe('clusters on the dashboard', () => {
  const cluster = fc.record({
    location: fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    }),
    lots: fc.integer({ min: 1, max: 100_000 }),
    capacity: fc.integer({ min: 0, max: 10_000_000 }),
    free: fc.integer({ min: 0, max: 10_000_000 }),
    bbox: fc.constant<number[]>([0, 0, 0, 0]),
  });

  it('adds up lots, capacity and free over the clusters', () => {
    fc.assert(
      fc.property(fc.array(cluster, { maxLength: 1024 }), (clusters) => {
        const totals = clusterTotals(clusters);
        let lots = 0;
        for (const c of clusters) lots += c.lots;
        expect(totals.lots).toBe(lots);
        expect(totals.capacity).toBe(clusters.reduce((s, c) => s + c.capacity, 0));
        expect(totals.free).toBe(clusters.reduce((s, c) => s + c.free, 0));
      }),
    );
  });

  it('sizes circles by lots: within 8–30 px, growing with the lots, the largest the biggest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), (a, b) => {
        const max = Math.max(a, b, 1);
        const [ra, rb] = [clusterRadius(a, max), clusterRadius(b, max)];
        for (const r of [ra, rb]) expect(r >= 8 && r <= 30).toBe(true);
        if (a < b) expect(ra).toBeLessThan(rb);
        expect(clusterRadius(max, max)).toBeCloseTo(30);
      }),
    );
  });
});

/** The dashboard's areas (web/dashboard/body.html's options): half the side, in km. */
const AREAS = [2, 5, 10, 20, 35, 100, 500, 2500];

describe('the boxes the dashboard asks for', () => {
  it("measure degrees as the service does (the pages keep their own copy of shared/geo's figure)", () => {
    expect(METRES_PER_DEGREE).toBe(SERVICE_METRES_PER_DEGREE);
  });

  it('are valid boxes for every centre and every area offered, up to 5000 × 5000 km', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -85, max: 85, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.constantFrom(...AREAS),
        (lat, lon, halfKm) => {
          const bbox = bboxAround({ lat, lon }, halfKm * 1000);
          const parsed = BboxQuerySchema.safeParse({ bbox });
          expect(parsed.success, bbox).toBe(true);
          // The box holds the centre (across the antimeridian too).
          const [minLon = Number.NaN, minLat = Number.NaN, maxLon = Number.NaN, maxLat = Number.NaN] = bbox
            .split(',')
            .map(Number);
          expect(minLat <= lat && lat <= maxLat, bbox).toBe(true);
          const inLon = minLon <= maxLon ? minLon <= lon && lon <= maxLon : lon >= minLon || lon <= maxLon;
          expect(inLon || Math.abs(Math.abs(lon) - 180) < 1e-5, bbox).toBe(true);
        },
      ),
      // The extremes first: the centres nearest the poles and the antimeridian, the largest area.
      {
        examples: [
          [85, 180, 2500],
          [-85, -180, 2500],
          [85, 0, 500],
          [-85, 179.9, 100],
        ],
        numRuns: 2000,
      },
    );
  });
});
