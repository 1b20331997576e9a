// Covering circles with geo-index ranges, checked against a brute-force oracle: the lots read
// from the ranges, ranked, equal the exact ranking of every lot, wherever the circle is.
import { getDistance } from 'geolib';
import { describe, expect, it } from 'vitest';
import {
  type CellRange,
  coverCircle,
  DEFAULT_MAX_RANGES,
  type LatLon,
  MAX_COVER_RADIUS_METRES,
  partitionsMeeting,
  rankNearby,
} from '../../../shared/geo';

const birminghamCentre = { lat: 52.48, lon: -1.89 };

import {
  circleArea,
  indexRanges,
  isRead,
  lotAt,
  mulberry32,
  rangeArea,
  type TestLot,
  zInterval,
} from './support';

const DEG_PER_METRE = 180 / (Math.PI * 6_378_137);

const distanceCache = new Map<LatLon, Float64Array>();

/** geolib distance from the centre to every lot, computed once per query centre. */
function distancesFrom(center: LatLon, lots: readonly TestLot[]): Float64Array {
  let distances = distanceCache.get(center);
  if (!distances) {
    distances = Float64Array.from(lots, (lot) => getDistance(center, lot.location));
    distanceCache.set(center, distances);
  }
  return distances;
}

/** What a scan of every lot would answer: within the radius, nearest, more free, then id. */
function bruteForce(lots: readonly TestLot[], distances: Float64Array, radius: number): string[] {
  return lots
    .map((lot, i) => ({ lot, d: distances[i]! }))
    .filter(({ d }) => d <= radius)
    .sort((a, b) => a.d - b.d || b.lot.free - a.lot.free || (a.lot.id < b.lot.id ? -1 : 1))
    .map(({ lot }) => lot.id);
}

/** What reading `ranges` and ranking what was read answers. */
function viaRanges(center: LatLon, lots: readonly TestLot[], radius: number, ranges: readonly CellRange[]) {
  const index = indexRanges(ranges);
  const read = lots.filter((lot) => isRead(lot, index));
  return rankNearby(center, read, { radius, limit: lots.length }).map((l) => l.id);
}

/** Lots within the radius that no range reads. */
function missed(
  lots: readonly TestLot[],
  distances: Float64Array,
  radius: number,
  ranges: readonly CellRange[],
) {
  const index = indexRanges(ranges);
  return lots.filter((lot, i) => distances[i]! <= radius && !isRead(lot, index)).map((l) => l.id);
}

const totalArea = (ranges: readonly CellRange[]) => ranges.reduce((sum, r) => sum + rangeArea(r), 0);

/** Pairs of ranges, one from each list, that share a sort key (same partition, intervals meet). */
function overlaps(a: readonly CellRange[], b: readonly CellRange[]): Array<[CellRange, CellRange]> {
  const found: Array<[CellRange, CellRange]> = [];
  const others = indexRanges(b);
  for (const x of a) {
    const [x0, x1] = zInterval(x);
    for (const y of others.get(x.partition) ?? []) {
      const [y0, y1] = zInterval(y);
      if (x0 <= y1 && y0 <= x1) found.push([x, y]);
    }
  }
  return found;
}

/** Whether the ranges of one answer are pairwise disjoint. */
function disjoint(ranges: readonly CellRange[]): boolean {
  for (const list of indexRanges(ranges).values()) {
    const sorted = list.map(zInterval).sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] <= sorted[i - 1]![1]) return false;
  }
  return true;
}

const wrapLon = (lon: number) => (lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon);
const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));

/** ~10,600 lots: dense clusters where geohash cells misbehave, edges, duplicates, the rest at random. */
function makeLots(): TestLot[] {
  const rnd = mulberry32(20261123);
  const clusters = [
    { lat: 52.48, lon: -1.89, spread: 0.5, n: 2500 }, // a city
    { lat: -17.8, lon: 180, spread: 0.4, n: 1200 }, // straddles the antimeridian
    { lat: 0, lon: 0, spread: 0.4, n: 1200 }, // every high geohash bit flips here
    { lat: 69.65, lon: 18.95, spread: 0.5, n: 800 }, // narrow cells in the north
    { lat: 84.375, lon: -60, spread: 0.4, n: 800 }, // the edge of the polar partition
    { lat: 90, lon: 0, spread: 0.6, n: 600 }, // the north pole
    { lat: -90, lon: 0, spread: 0.6, n: 400 }, // the south pole
  ];
  const lots: TestLot[] = [];
  const add = (p: LatLon) => lots.push(lotAt(`lot-${lots.length}`, p, Math.floor(rnd() * 6)));
  for (const c of clusters) {
    for (let i = 0; i < c.n; i++) {
      // Denser towards the centre; longitude spread widened by 1/cos(lat) (capped near the poles).
      const lat = clampLat(c.lat + (rnd() * 2 - 1) * c.spread * rnd());
      const stretch = 1 / Math.max(0.05, Math.cos((lat * Math.PI) / 180));
      const polar = Math.abs(c.lat) === 90;
      const lon = polar ? -180 + rnd() * 360 : wrapLon(c.lon + (rnd() * 2 - 1) * c.spread * stretch * rnd());
      add({ lat, lon });
    }
  }
  for (let i = 0; i < 1500; i++) add({ lat: -90 + rnd() * 180, lon: -180 + rnd() * 360 });
  // Exactly on cell edges of a random level: lat and/or lon snapped to a geohash boundary.
  const clustered = lots.length;
  for (let i = 0; i < 1000; i++) {
    const p = lots[Math.floor(rnd() * clustered)]!.location;
    const bits = 5 + Math.floor(rnd() * 21);
    const snapLat = -90 + Math.round((p.lat + 90) / (180 / 2 ** bits)) * (180 / 2 ** bits);
    const snapLon = -180 + Math.round((p.lon + 180) / (360 / 2 ** bits)) * (360 / 2 ** bits);
    const which = rnd();
    add({ lat: which < 0.66 ? snapLat : p.lat, lon: which > 0.33 ? snapLon : p.lon });
  }
  // Identical coordinates.
  for (let i = 0; i < 500; i++) add({ ...lots[Math.floor(rnd() * clustered)]!.location });
  for (const p of [
    { lat: 90, lon: 0 },
    { lat: 90, lon: 180 },
    { lat: -90, lon: -180 },
    { lat: 0, lon: 180 },
    { lat: 0, lon: -180 },
    { lat: 84.375, lon: 0 },
    { lat: -84.375, lon: 0 },
  ]) {
    add(p);
  }
  return lots;
}

interface Query {
  center: LatLon;
  radius: number;
}

/** 160 queries: radii log-uniform over 50 m – 50 km, centres in clusters, on edges, at random. */
function makeQueries(lots: readonly TestLot[]): Query[] {
  const rnd = mulberry32(42);
  const radius = () => {
    const r = 50 * 1000 ** rnd();
    return rnd() < 0.5 ? Math.round(r) : r;
  };
  const queries: Query[] = [];
  for (let i = 0; i < 80; i++) {
    const p = lots[Math.floor(rnd() * lots.length)]!.location;
    const r = radius();
    const jitter = (r * DEG_PER_METRE * (rnd() * 2 - 1)) / 2;
    queries.push({ center: { lat: clampLat(p.lat + jitter), lon: wrapLon(p.lon + jitter) }, radius: r });
  }
  for (let i = 0; i < 30; i++)
    queries.push({ center: { ...lots[Math.floor(rnd() * lots.length)]!.location }, radius: radius() });
  for (let i = 0; i < 30; i++)
    queries.push({ center: { lat: -90 + rnd() * 180, lon: -180 + rnd() * 360 }, radius: radius() });
  for (const center of [
    { lat: 0, lon: 0 },
    { lat: 90, lon: 0 },
    { lat: -90, lon: 123 },
    { lat: -17.8, lon: 180 },
    { lat: -17.8, lon: -180 },
    { lat: 84.375, lon: -60 },
    { lat: 52.48, lon: -1.89 },
    { lat: 69.65, lon: 18.95 },
    { lat: 89.9, lon: 179.9 },
    { lat: -84.4, lon: 0 },
  ]) {
    queries.push({ center, radius: radius() }, { center, radius: 50_000 });
  }
  return queries;
}

const lots = makeLots();
const queries = makeQueries(lots);

describe('coverCircle against a brute-force oracle', () => {
  it('uses at least 10,000 lots and 100 queries', () => {
    expect(lots.length).toBeGreaterThanOrEqual(10_000);
    expect(queries.length).toBeGreaterThanOrEqual(100);
  });

  it('reads every lot within the radius, so ranking what was read equals ranking every lot', () => {
    let found = 0;
    for (const { center, radius } of queries) {
      const ranges = coverCircle(center, radius);
      const where = `centre ${center.lat},${center.lon} radius ${radius}`;
      const distances = distancesFrom(center, lots);
      expect(missed(lots, distances, radius, ranges), where).toEqual([]);
      const expected = bruteForce(lots, distances, radius);
      expect(viaRanges(center, lots, radius, ranges), where).toEqual(expected);
      found += expected.length;
    }
    // The oracle must have something to compare: most queries find lots.
    expect(found).toBeGreaterThan(10_000);
  });

  it('returns well-formed ranges, each in one partition, within the budget unless partitions forbid', () => {
    for (const { center, radius } of queries) {
      const ranges = coverCircle(center, radius);
      const partitions = new Set(ranges.map((r) => r.partition));
      expect(ranges.length).toBeLessThanOrEqual(Math.max(DEFAULT_MAX_RANGES, partitions.size));
      for (const r of ranges) {
        expect(r.partition).toMatch(/^(PN|PS|[0-9b-hjkmnp-z]{5})$/);
        expect(r.lo).toMatch(/^[0-9b-hjkmnp-z]{10}$/);
        expect(r.hi).toMatch(/^[0-9b-hjkmnp-z]{10}~$/);
        expect(r.lo < r.hi).toBe(true);
        if (r.partition !== 'PN' && r.partition !== 'PS') {
          expect(r.lo.slice(0, 5)).toBe(r.partition);
          expect(r.hi.slice(0, 5)).toBe(r.partition);
        }
      }
      expect(disjoint(ranges)).toBe(true);
    }
  });

  it('searches outward: each ring reads only what earlier circles did not, and together they miss nothing', () => {
    for (const { center, radius } of queries) {
      const distances = distancesFrom(center, lots);
      const read: CellRange[] = [];
      for (const r of [Math.max(50, radius / 8), Math.max(50, radius / 3), radius]) {
        const ring = coverCircle(center, r, { exclude: read });
        expect(overlaps(ring, read)).toEqual([]);
        if (Math.abs(center.lat) < 80 && r <= 5000) {
          // The holes cost extra ranges rather than extra area: never more than a fresh cover.
          expect(totalArea(ring)).toBeLessThanOrEqual(totalArea(coverCircle(center, r)) * 1.01);
        }
        read.push(...ring);
        expect(missed(lots, distances, r, read)).toEqual([]);
      }
      expect(viaRanges(center, lots, radius, read)).toEqual(bruteForce(lots, distances, radius));
    }
  });
});

describe('coverCircle skipping partitions known to hold nothing', () => {
  it('reads every lot within the radius outside the skipped partitions, and nothing of them', () => {
    const rnd = mulberry32(77);
    // Every third query: each one checks all ~10,600 lots.
    for (const { center, radius } of queries.filter((_, i) => i % 3 === 0)) {
      const met = partitionsMeeting(center, radius);
      const skip = new Set(met.filter(() => rnd() < 0.6));
      const ranges = coverCircle(center, radius, { skipPartitions: skip });
      const where = `centre ${center.lat},${center.lon} radius ${radius}`;
      expect(
        ranges.filter((r) => skip.has(r.partition)),
        where,
      ).toEqual([]);
      const distances = distancesFrom(center, lots);
      const missedOutside = missed(lots, distances, radius, ranges).filter(
        (id) => !skip.has(lots[Number(id.slice(4))]!.partition),
      );
      expect(missedOutside, where).toEqual([]);
    }
  });

  it('lies, for every radius up to R, within the partitions partitionsMeeting lists for R', () => {
    for (const { center, radius } of queries) {
      const all = new Set(partitionsMeeting(center, radius));
      for (const r of [radius, radius / 3, Math.max(1, radius / 50)]) {
        for (const range of coverCircle(center, r))
          expect(all.has(range.partition), `${r} of ${radius}`).toBe(true);
      }
    }
  });

  it('rejects a skip list that is not a Set of partitions', () => {
    expect(() => coverCircle(birminghamCentre, 10, { skipPartitions: new Set(['gcqd']) })).toThrow(
      /skipPartitions holds "gcqd"/,
    );
    expect(() =>
      coverCircle(birminghamCentre, 10, { skipPartitions: ['gcqds'] as unknown as Set<string> }),
    ).toThrow(/must be a Set/);
  });
});

describe('coverCircle at awkward places', () => {
  const find = (center: LatLon, radius: number, places: LatLon[]) => {
    const candidates = places.map((p, i) => lotAt(`p${i}`, p));
    const index = indexRanges(coverCircle(center, radius));
    return candidates.filter((l) => isRead(l, index)).map((l) => l.id);
  };

  it('finds lots on both sides of the antimeridian from either side', () => {
    const places = [
      { lat: -17.8, lon: 179.999 },
      { lat: -17.8, lon: -179.999 },
      { lat: -17.8, lon: 180 },
      { lat: -17.8, lon: -180 },
    ];
    expect(find({ lat: -17.8, lon: 179.9995 }, 300, places)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(find({ lat: -17.8, lon: -179.9995 }, 300, places)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(find({ lat: -17.8, lon: 180 }, 1, places)).toEqual(['p2', 'p3']);
    expect(find({ lat: -17.8, lon: -180 }, 1, places)).toEqual(['p2', 'p3']);
    const ranked = rankNearby(
      { lat: -17.8, lon: 179.9995 },
      places.map((p, i) => lotAt(`p${i}`, p)),
      { radius: 300, limit: 10 },
    );
    // 179.999, 180 and -180 are all 0.0005° (53 m) away: the ids decide.
    expect(ranked.map((l) => [l.id, l.distance])).toEqual([
      ['p0', 53],
      ['p2', 53],
      ['p3', 53],
      ['p1', 159],
    ]);
  });

  it('covers every longitude around the north pole and the poles themselves', () => {
    const ring = Array.from({ length: 25 }, (_, i) => ({ lat: 89.99, lon: -180 + i * 15 }));
    expect(find({ lat: 90, lon: 0 }, 1200, ring)).toHaveLength(25);
    expect(find({ lat: 89.995, lon: 0 }, 2000, [{ lat: 89.99, lon: 180 }])).toEqual(['p0']);
    expect(
      find({ lat: 90, lon: 45 }, 1, [
        { lat: 90, lon: 0 },
        { lat: 90, lon: -180 },
        { lat: 90, lon: 77 },
      ]),
    ).toEqual(['p0', 'p1', 'p2']);
    expect(
      find({ lat: -90, lon: -150 }, 1, [
        { lat: -90, lon: 12 },
        { lat: -89.99999, lon: 180 },
      ]),
    ).toEqual(['p0', 'p1']);
    const ranked = rankNearby(
      { lat: 90, lon: 0 },
      ring.map((p, i) => lotAt(`r${String(i).padStart(2, '0')}`, p)),
      {
        radius: 1200,
        limit: 3,
      },
    );
    expect(ranked.map((l) => [l.id, l.distance])).toEqual([
      ['r00', 1113],
      ['r01', 1113],
      ['r02', 1113],
    ]);
  });

  it('reads both the polar partition and the geohash-5 below it when a circle straddles lat 84.375', () => {
    const ranges = coverCircle({ lat: 84.375, lon: 10 }, 500);
    expect(new Set(ranges.map((r) => r.partition)).has('PN')).toBe(true);
    expect(ranges.some((r) => r.partition !== 'PN')).toBe(true);
    expect(
      find({ lat: 84.375, lon: 10 }, 500, [
        { lat: 84.3749, lon: 10 },
        { lat: 84.3751, lon: 10.001 },
      ]),
    ).toEqual(['p0', 'p1']);
  });

  it('finds lots exactly on and around cell corners, from a circle centred on the corner', () => {
    // A corner of geohash-5 cells near Birmingham, and (0, 0) where all cells of every level meet.
    const h5 = 180 / 2 ** 12;
    const w5 = 360 / 2 ** 13;
    const corners = [
      { lat: -90 + Math.round((52.48 + 90) / h5) * h5, lon: -180 + Math.round((-1.89 + 180) / w5) * w5 },
      { lat: 0, lon: 0 },
    ];
    const step = 3e-6; // ~0.33 m
    for (const corner of corners) {
      const around = [
        corner,
        { lat: corner.lat + step, lon: corner.lon + step },
        { lat: corner.lat + step, lon: corner.lon - step },
        { lat: corner.lat - step, lon: corner.lon + step },
        { lat: corner.lat - step, lon: corner.lon - step },
        { lat: corner.lat, lon: corner.lon - step },
        { lat: corner.lat - step, lon: corner.lon },
      ];
      expect(find(corner, 1, around)).toHaveLength(around.length);
      expect(find(corner, 50, around)).toHaveLength(around.length);
      expect(find({ lat: corner.lat - step, lon: corner.lon - step }, 1, around)).toHaveLength(around.length);
    }
  });

  it('finds a lot whose distance rounds down to the radius when a cell edge lies just inside it', () => {
    // A geohash-5 row edge (an edge at every level used) 0.2 m beyond the circle, the lot 0.45 m beyond:
    // geolib rounds its distance down to the radius, so the cover must reach past the edge.
    const edge = -90 + Math.round((52.48 + 90) / (180 / 2 ** 12)) * (180 / 2 ** 12);
    for (const radius of [1, 300, 5000]) {
      const center = { lat: edge - (radius + 0.2) * DEG_PER_METRE, lon: -1.89 };
      const lot = { lat: center.lat + (radius + 0.45) * DEG_PER_METRE, lon: -1.89 };
      expect(getDistance(center, lot)).toBe(radius);
      expect(find(center, radius, [lot])).toEqual(['p0']);
    }
  });

  it('finds lots within a 1 m radius, including one whose distance rounds down to 1 m', () => {
    const center = { lat: 52.48, lon: -1.89 };
    const north = (m: number) => ({ lat: center.lat + m * DEG_PER_METRE, lon: center.lon });
    const places = [center, north(0.6), north(1.4), north(1.6)];
    expect(find(center, 1, places)).toEqual(expect.arrayContaining(['p0', 'p1', 'p2']));
    const ranked = rankNearby(
      center,
      places.map((p, i) => lotAt(`p${i}`, p)),
      { radius: 1, limit: 10 },
    );
    expect(ranked.map((l) => [l.id, l.distance])).toEqual([
      ['p0', 0],
      ['p1', 1],
      ['p2', 1],
    ]);
  });
});

describe('coverCircle options and misuse', () => {
  const birmingham = { lat: 52.48, lon: -1.89 };

  it('keeps to maxRanges while the circle lies in few partitions', () => {
    for (const maxRanges of [1, 2, 3, 5, 8, 16]) {
      const ranges = coverCircle({ lat: 52.4836, lon: -1.8764 }, 300, { maxRanges, minGapSquareMetres: 0 });
      expect(new Set(ranges.map((r) => r.partition)).size).toBe(1);
      expect(ranges.length).toBeLessThanOrEqual(maxRanges);
    }
    expect(coverCircle({ lat: 52.4836, lon: -1.8764 }, 300, { maxRanges: 1 })).toHaveLength(1);
  });

  it('returns one range per partition when the circle spans more partitions than maxRanges', () => {
    const ranges = coverCircle(birmingham, 20_000);
    const partitions = new Set(ranges.map((r) => r.partition));
    expect(partitions.size).toBeGreaterThan(DEFAULT_MAX_RANGES);
    expect(ranges).toHaveLength(partitions.size);
  });

  it('spends a range on a gap only when the gap is worth a request', () => {
    // A 1 m circle can split into several tiny ranges; one hectare of gap is not worth a query.
    expect(coverCircle({ lat: 52.4836, lon: -1.8764 }, 1, { minGapSquareMetres: 0 }).length).toBeGreaterThan(
      1,
    );
    expect(coverCircle({ lat: 52.4836, lon: -1.8764 }, 1)).toHaveLength(1);
  });

  it('returns nothing when everything is already excluded', () => {
    const all = coverCircle(birmingham, 2000);
    expect(coverCircle(birmingham, 2000, { exclude: all })).toEqual([]);
    expect(coverCircle(birmingham, 500, { exclude: all })).toEqual([]);
  });

  it('rejects misuse with a precise RangeError', () => {
    expect(() => coverCircle(birmingham, 0)).toThrow(
      /^coverCircle: radius must be a number in \(0, 100000\] metres, got 0$/,
    );
    expect(() => coverCircle(birmingham, -5)).toThrow(RangeError);
    expect(() => coverCircle(birmingham, Number.NaN)).toThrow(RangeError);
    expect(() => coverCircle(birmingham, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => coverCircle(birmingham, MAX_COVER_RADIUS_METRES + 1)).toThrow(RangeError);
    expect(() => coverCircle({ lat: 52, lon: 181 }, 10)).toThrow(/^coverCircle: center\.lon must be/);
    expect(() => coverCircle({ lat: Number.NaN, lon: 0 }, 10)).toThrow(/^coverCircle: center\.lat must be/);
    expect(() => coverCircle(birmingham, 10, { maxRanges: 0 })).toThrow(
      /maxRanges must be an integer >= 1, got 0/,
    );
    expect(() => coverCircle(birmingham, 10, { maxRanges: 2.5 })).toThrow(RangeError);
    expect(() => coverCircle(birmingham, 10, { minGapSquareMetres: -1 })).toThrow(RangeError);
    expect(() =>
      coverCircle(birmingham, 10, { exclude: [{ partition: 'gcqds', lo: 'gcqds00000', hi: 'gcqds00000' }] }),
    ).toThrow(/exclude\[0\] must be a range returned by coverCircle/);
    expect(() =>
      coverCircle(birmingham, 10, { exclude: [{ partition: 'GCQDS', lo: 'gcqds00000', hi: 'gcqds00000~' }] }),
    ).toThrow(/exclude\[0\]\.partition/);
  });
});

describe('coverCircle efficiency', () => {
  const ratio = (ranges: readonly CellRange[], radius: number) => totalArea(ranges) / circleArea(radius);

  it('reads at most 2.5× the circle at lat 52 with at most 8 ranges per circle within 8 partitions', () => {
    const rows: string[] = [];
    for (const radius of [1000, 5000]) {
      for (const center of [
        { lat: 52.48, lon: -1.89 },
        { lat: 52.52, lon: 13.405 },
        { lat: 52.37, lon: 4.9 },
        { lat: 52.23, lon: 21.01 },
      ]) {
        const ranges = coverCircle(center, radius);
        const partitions = new Set(ranges.map((r) => r.partition)).size;
        const r = ratio(ranges, radius);
        rows.push(
          `r=${radius} m at ${center.lat},${center.lon}: ${ranges.length} ranges in ${partitions} partitions, area ratio ${r.toFixed(2)}`,
        );
        expect(r).toBeLessThanOrEqual(2.5);
        // A 5 km circle at lat 52 meets 10+ geohash-5 partitions (3.0 × 4.9 km): one range each.
        expect(ranges.length).toBeLessThanOrEqual(Math.max(DEFAULT_MAX_RANGES, partitions));
        if (partitions <= DEFAULT_MAX_RANGES) expect(ranges.length).toBeLessThanOrEqual(DEFAULT_MAX_RANGES);
      }
    }
    console.log(`cover statistics at lat 52:\n  ${rows.join('\n  ')}`);
  });

  it('reads at most 2× the circle for mid-latitude radii of 200 m to 50 km, in well under 1 ms', () => {
    const rnd = mulberry32(7);
    const rows: string[] = [];
    for (const radius of [200, 1000, 5000, 20_000, 50_000]) {
      const ratios: number[] = [];
      const counts: number[] = [];
      const started = performance.now();
      for (let i = 0; i < 100; i++) {
        const ranges = coverCircle({ lat: 30 + rnd() * 30, lon: -180 + rnd() * 360 }, radius);
        ratios.push(ratio(ranges, radius));
        counts.push(ranges.length);
      }
      const ms = (performance.now() - started) / 100;
      ratios.sort((a, b) => a - b);
      counts.sort((a, b) => a - b);
      rows.push(
        `r=${radius} m: area ratio median ${ratios[50]!.toFixed(2)} max ${ratios[99]!.toFixed(2)}, ` +
          `ranges median ${counts[50]} max ${counts[99]}, ${ms.toFixed(3)} ms per call (incl. area maths)`,
      );
      expect(ratios[99]).toBeLessThanOrEqual(2);
    }
    console.log(`cover statistics, 100 random circles at lat 30–60 per radius:\n  ${rows.join('\n  ')}`);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) coverCircle({ lat: 52.48 + i * 1e-4, lon: -1.89 }, 1000);
    const perCall = (performance.now() - started) / 1000;
    console.log(`coverCircle 1 km: ${perCall.toFixed(3)} ms per call`);
    expect(perCall).toBeLessThan(1);
  });
});
