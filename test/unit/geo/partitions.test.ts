// Which partitions a circle meets, and the directory key ranges that list them: checked against
// brute force over the whole globe (poles, both sides of the polar row boundary at ±84.375°, the
// antimeridian, the equator) and every radius the API allows (1 m to 50 km).
import fc from 'fast-check';
import { computeDestinationPoint, getDistance } from 'geolib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_KEY_RANGES,
  type KeyRange,
  type LatLon,
  partitionKeyRanges,
  partitionOf,
  partitionsMeeting,
} from '../../../shared/geo';

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
const toNumber = (hash: string) => [...hash].reduce((n, c) => n * 32 + BASE32.indexOf(c), 0);
const toHash = (n: number) =>
  Array.from({ length: 5 }, (_, i) => BASE32[Math.floor(n / 32 ** (4 - i)) % 32]).join('');

/** Latitudes where partitions misbehave, and the rest of the globe. */
const latitude = fc.oneof(
  fc.constantFrom(90, -90, 84.375, -84.375, 84.4, -84.4, 84.35, -84.35, 0, 52.48, 80, 84, 89.999),
  fc.double({ min: -90, max: 90, noNaN: true }),
  fc
    .tuple(fc.double({ min: 83.5, max: 85.2, noNaN: true }), fc.boolean())
    .map(([x, south]) => (south ? -x : x)),
);
const longitude = fc.oneof(
  fc.constantFrom(180, -180, 179.9999, -179.9999, 0, -1.9),
  fc.double({ min: -180, max: 180, noNaN: true }),
);
const radius = fc.oneof(
  fc.constantFrom(1, 2, 50_000, 49_999, 1000, 5000),
  fc.integer({ min: 1, max: 50_000 }),
);

/** Points within `r` of the centre: on its edge in every direction, and inside at random. */
function pointsWithin(center: LatLon, r: number, seed: number): LatLon[] {
  const points: LatLon[] = [center];
  let s = seed;
  const rnd = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  for (let i = 0; i < 72; i++) {
    const distance = i % 2 === 0 ? r * 0.999 : r * Math.sqrt(rnd());
    const p = computeDestinationPoint(center, distance, i * 5 + rnd() * 5);
    points.push({ lat: p.latitude, lon: p.longitude });
  }
  return points.filter((p) => getDistance(center, p) <= r);
}

describe('partitionsMeeting', () => {
  it('lists the partition of every point within the radius, anywhere on the globe', () => {
    fc.assert(
      fc.property(latitude, longitude, radius, fc.nat(), (lat, lon, r, seed) => {
        const center = { lat, lon };
        const listed = new Set(partitionsMeeting(center, r));
        for (const p of pointsWithin(center, r, seed)) {
          expect(listed.has(partitionOf(p)), `${JSON.stringify(p)} of ${lat},${lon} r ${r}`).toBe(true);
        }
      }),
      { numRuns: 300, seed: 1207 },
    );
  });

  it('lists each partition once, sorted, and the polar rows as PN / PS', () => {
    const north = partitionsMeeting({ lat: 84.4, lon: 0 }, 50_000);
    expect(north).toContain('PN');
    expect(north.some((p) => p.length === 5)).toBe(true); // the circle reaches below 84.375
    expect(partitionsMeeting({ lat: 90, lon: 0 }, 50_000)).toEqual(['PN']);
    expect(partitionsMeeting({ lat: -90, lon: 17 }, 1)).toEqual(['PS']);
    for (const list of [north, partitionsMeeting({ lat: 0, lon: 180 }, 50_000)]) {
      expect([...list].sort()).toEqual(list);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('meets hundreds to thousands of partitions at 50 km, and few at 5 km (why the directory exists)', () => {
    expect(partitionsMeeting({ lat: 52.48, lon: -1.9 }, 50_000).length).toBeGreaterThan(500);
    expect(partitionsMeeting({ lat: 84, lon: -1.9 }, 50_000).length).toBeGreaterThan(3000);
    expect(partitionsMeeting({ lat: 52.48, lon: -1.9 }, 5000).length).toBeLessThanOrEqual(16);
  });
});

/** Whether `key` lies in one of the ranges (DynamoDB's BETWEEN: byte order, here ASCII). */
const inRanges = (key: string, ranges: readonly KeyRange[]) => ranges.some((r) => r.lo <= key && key <= r.hi);

describe('partitionKeyRanges', () => {
  const partitionsArb = fc.oneof(
    fc
      .constant(null)
      .chain(() =>
        fc.tuple(latitude, longitude, radius).map(([lat, lon, r]) => partitionsMeeting({ lat, lon }, r)),
      ),
    fc.array(fc.integer({ min: 0, max: 2 ** 25 - 1 }).map(toHash), { minLength: 1, maxLength: 60 }),
  );

  it('covers every partition asked for, within the budget, in ascending disjoint ranges', () => {
    fc.assert(
      fc.property(
        partitionsArb,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 300 }),
        (partitions, maxRanges, minGap) => {
          const ranges = partitionKeyRanges(partitions, { maxRanges, minGap });
          for (const p of partitions) expect(inRanges(p, ranges), p).toBe(true);
          const polar = new Set(partitions.filter((p) => p.length === 2)).size;
          expect(ranges.length).toBeLessThanOrEqual(Math.max(maxRanges, polar + 1));
          const geohash = ranges.filter((r) => r.lo.length === 5);
          for (let i = 0; i < geohash.length; i++) {
            expect(geohash[i]!.lo <= geohash[i]!.hi).toBe(true);
            if (i > 0) expect(geohash[i - 1]!.hi < geohash[i]!.lo).toBe(true);
          }
          // Each gap left open is worth a Query, and reads nothing asked for.
          for (let i = 1; i < geohash.length; i++) {
            expect(toNumber(geohash[i]!.lo) - toNumber(geohash[i - 1]!.hi) - 1).toBeGreaterThanOrEqual(
              minGap,
            );
          }
        },
      ),
      { numRuns: 300, seed: 1208 },
    );
  });

  it('with room for every run and no minimum gap, reads exactly the partitions asked for', () => {
    const asked = ['u4pru', 'u4prv', 'u4pry', 'gcpvj', 'gcpvk', 'PN'];
    const ranges = partitionKeyRanges(asked, { maxRanges: 10, minGap: 0 });
    expect(ranges).toEqual([
      { lo: 'PN', hi: 'PN' },
      { lo: 'gcpvj', hi: 'gcpvk' },
      { lo: 'u4pru', hi: 'u4prv' },
      { lo: 'u4pry', hi: 'u4pry' },
    ]);
  });

  it('bridges the smallest gaps first when the budget is short', () => {
    // Runs at 0, 10, 11 and 1000: with two ranges the gap of 9 closes, the gap of 988 stays.
    const ranges = partitionKeyRanges([toHash(0), toHash(10), toHash(11), toHash(1000)], {
      maxRanges: 2,
      minGap: 0,
    });
    expect(ranges).toEqual([
      { lo: toHash(0), hi: toHash(11) },
      { lo: toHash(1000), hi: toHash(1000) },
    ]);
  });

  it('lists a 50 km circle anywhere in at most the default 8 ranges', () => {
    for (const [lat, lon] of [
      [52.48, -1.9],
      [84, -1.9],
      [84.4, 179.99],
      [0, 0],
      [-84.3, -180],
    ] as const) {
      const ranges = partitionKeyRanges(partitionsMeeting({ lat, lon }, 50_000));
      expect(ranges.length).toBeLessThanOrEqual(DEFAULT_MAX_KEY_RANGES);
    }
  });

  it('rejects misuse with a precise RangeError', () => {
    expect(() => partitionKeyRanges(['u4pr'])).toThrow(/not a geo-index partition/);
    expect(() => partitionKeyRanges(['u4pra'])).toThrow(/not a geo-index partition/);
    expect(() => partitionKeyRanges(['u4pru'], { maxRanges: 0 })).toThrow(/maxRanges/);
    expect(() => partitionKeyRanges(['u4pru'], { minGap: -1 })).toThrow(/minGap/);
  });
});
