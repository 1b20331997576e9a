// Cells covering a circle, as Z-order ranges grouped by storage partition.
// Invariant: the ranges contain every point within `radius` of the centre (a superset: callers
// filter by exact distance afterwards). Correct across the antimeridian and at the poles.

import { EARTH_RADIUS, type LatLon } from './distance';
import { cellBounds, geohashToZ, interleave, Z_BITS, zToGeohash } from './geohash';

export const PARTITION_PRECISION = 5;
export const SORT_PRECISION = 10;
const PARTITION_SHIFT = 2 ** (Z_BITS - PARTITION_PRECISION * 5); // codes per geohash-5 cell
const GH2_SHIFT = 2 ** (Z_BITS - 10); // codes per geohash-2 cell
/** Cells examined per cover: enough for ~1.3× the circle's area, cheap enough for every request. */
const CELL_BUDGET = 192;

export interface CellRange {
  partition: string;
  /** Inclusive bounds for `gsk BETWEEN lo AND hi` on sort keys `<geohash10>#<id>`. */
  lo: string;
  hi: string;
}

export interface CoverOptions {
  /** Ranges per call (merging across the smallest gaps); more only when more partitions are hit. */
  maxRanges?: number;
  /** Ranges read already (earlier, smaller circles round the same centre): left out of the answer. */
  exclude?: readonly CellRange[];
}

/** Geohash-2 rows at the poles hold slivers of cells; each pole is one partition. */
function polarPartitionOf(z: number): string | null {
  const gh2 = Math.floor(z / GH2_SHIFT); // 10 bits: lon, lat, lon, lat, …
  let latRow = 0;
  for (let i = 1; i < 10; i += 2) latRow = latRow * 2 + (Math.floor(gh2 / 2 ** (9 - i)) % 2);
  if (latRow === 31) return 'PN';
  if (latRow === 0) return 'PS';
  return null;
}

export function partitionOfZ(z: number): string {
  return polarPartitionOf(z) ?? zToGeohash(z, PARTITION_PRECISION);
}

interface Interval {
  lo: number; // inclusive
  hi: number; // inclusive
}

export function coverCircle(center: LatLon, radiusMetres: number, options: CoverOptions = {}): CellRange[] {
  const { lat, lon } = center;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    throw new RangeError(`latitude ${lat} is not in [-90, 90]`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180)
    throw new RangeError(`longitude ${lon} is not in [-180, 180]`);
  if (!Number.isFinite(radiusMetres) || radiusMetres <= 0)
    throw new RangeError(`radius ${radiusMetres} must be > 0`);
  const maxRanges = options.maxRanges ?? 8;
  if (!Number.isInteger(maxRanges) || maxRanges < 1)
    throw new RangeError('maxRanges must be a whole number ≥ 1');

  // Margin: geolib rounds to whole metres; float error is far below a millimetre per kilometre.
  const radius = radiusMetres + 1 + radiusMetres * 1e-3;
  const angular = radius / EARTH_RADIUS; // radians of arc
  const latRad = (lat * Math.PI) / 180;
  const minLat = Math.max(-90, lat - (angular * 180) / Math.PI);
  const maxLat = Math.min(90, lat + (angular * 180) / Math.PI);
  // The exact longitude half-width of a spherical cap; it reaches every longitude at a pole.
  const sinRatio = Math.sin(angular) / Math.cos(latRad);
  const lonSpans: [number, number][] =
    maxLat >= 90 || minLat <= -90 || angular >= Math.PI / 2 || sinRatio >= 1
      ? [[-180, 180]]
      : splitAntimeridian(
          lon - (Math.asin(sinRatio) * 180) / Math.PI,
          lon + (Math.asin(sinRatio) * 180) / Math.PI,
        );

  const bits = chooseBits(minLat, maxLat, lonSpans);
  const lonBits = Math.ceil(bits / 2);
  const latBits = Math.floor(bits / 2);
  const lonSize = 360 / 2 ** lonBits;
  const latSize = 180 / 2 ** latBits;
  const prefixes: number[] = [];
  const latFrom = Math.max(0, Math.floor((minLat + 90) / latSize));
  const latTo = Math.min(2 ** latBits - 1, Math.floor((maxLat + 90) / latSize));
  for (const [west, east] of lonSpans) {
    const lonFrom = Math.max(0, Math.floor((west + 180) / lonSize));
    const lonTo = Math.min(2 ** lonBits - 1, Math.floor((east + 180) / lonSize));
    for (let y = latFrom; y <= latTo; y++) {
      for (let x = lonFrom; x <= lonTo; x++) {
        const prefix = interleave(x, y, lonBits, latBits);
        if (distanceToCell(center, cellBounds(prefix, bits)) <= radius) prefixes.push(prefix);
      }
    }
  }
  const scale = 2 ** (Z_BITS - bits);
  let intervals = mergeAdjacent(
    [...new Set(prefixes)].sort((a, b) => a - b).map((p) => ({ lo: p * scale, hi: (p + 1) * scale - 1 })),
  );
  if (options.exclude?.length) intervals = subtract(intervals, options.exclude.map(toInterval));

  const byPartition = new Map<string, Interval[]>();
  for (const piece of intervals.flatMap(splitByPartition)) {
    const list = byPartition.get(piece.partition) ?? [];
    list.push(piece);
    byPartition.set(piece.partition, list);
  }
  // Fewer requests: within a partition, bridge the smallest gaps until the budget is met.
  const ranges: CellRange[] = [];
  const partitions = [...byPartition.keys()];
  let budget = Math.max(maxRanges, partitions.length);
  let lists = partitions.map((p) => ({ partition: p, list: mergeAdjacent(byPartition.get(p)!) }));
  let total = lists.reduce((s, l) => s + l.list.length, 0);
  while (total > budget) {
    let best: { l: number; i: number; gap: number } | null = null;
    lists.forEach((l, li) => {
      for (let i = 0; i + 1 < l.list.length; i++) {
        const gap = l.list[i + 1]!.lo - l.list[i]!.hi;
        if (best === null || gap < best.gap) best = { l: li, i, gap };
      }
    });
    if (best === null) break;
    const { l, i } = best as { l: number; i: number };
    const list = lists[l]!.list;
    list.splice(i, 2, { lo: list[i]!.lo, hi: list[i + 1]!.hi });
    total--;
  }
  budget = 0;
  lists = lists.filter((l) => l.list.length > 0);
  for (const { partition, list } of lists) {
    for (const iv of list) ranges.push({ partition, lo: zToGeohash(iv.lo), hi: `${zToGeohash(iv.hi)}~` });
  }
  return ranges;
}

function splitAntimeridian(west: number, east: number): [number, number][] {
  if (west < -180)
    return [
      [west + 360, 180],
      [-180, east],
    ];
  if (east > 180)
    return [
      [west, 180],
      [-180, east - 360],
    ];
  return [[west, east]];
}

/** The finest level whose cells over the bounding box stay within the budget. */
function chooseBits(minLat: number, maxLat: number, lonSpans: [number, number][]): number {
  for (let bits = Z_BITS; bits > 2; bits--) {
    const lonSize = 360 / 2 ** Math.ceil(bits / 2);
    const latSize = 180 / 2 ** Math.floor(bits / 2);
    const rows = Math.floor((maxLat + 90) / latSize) - Math.floor((minLat + 90) / latSize) + 1;
    let columns = 0;
    for (const [w, e] of lonSpans)
      columns += Math.floor((e + 180) / lonSize) - Math.floor((w + 180) / lonSize) + 1;
    if (rows * columns <= CELL_BUDGET) return bits;
  }
  return 2;
}

/** Smallest great-circle distance (metres) from a point to a lon/lat box; 0 inside. */
export function distanceToCell(
  p: LatLon,
  box: { minLon: number; maxLon: number; minLat: number; maxLat: number },
) {
  const insideLon = p.lon >= box.minLon && p.lon <= box.maxLon;
  if (insideLon) {
    if (p.lat >= box.minLat && p.lat <= box.maxLat) return 0;
    // Along the meridian to the nearer parallel edge: the nearest point of a parallel shares the longitude.
    const dLat = p.lat < box.minLat ? box.minLat - p.lat : p.lat - box.maxLat;
    return (dLat * Math.PI * EARTH_RADIUS) / 180;
  }
  return Math.min(toMeridianSegment(p, box.minLon, box), toMeridianSegment(p, box.maxLon, box));
}

/** Distance to the part of meridian `lon` between the box's latitudes (great-circle segment). */
function toMeridianSegment(p: LatLon, lon: number, box: { minLat: number; maxLat: number }) {
  const rad = Math.PI / 180;
  const dLon = (lon - p.lon) * rad;
  const phi = p.lat * rad;
  // Nearest point of the whole meridian great circle, then clamped: distance is unimodal along it.
  const nearest =
    Math.cos(dLon) > 0 ? Math.atan(Math.tan(phi) / Math.cos(dLon)) / rad : p.lat >= 0 ? 90 : -90;
  const lat = Math.min(box.maxLat, Math.max(box.minLat, nearest));
  return haversine(p, { lat, lon });
}

function haversine(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const s =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(s)));
}

function mergeAdjacent(sorted: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const iv of [...sorted].sort((a, b) => a.lo - b.lo)) {
    const last = out.at(-1);
    if (last && iv.lo <= last.hi + 1) last.hi = Math.max(last.hi, iv.hi);
    else out.push({ ...iv });
  }
  return out;
}

function toInterval(range: CellRange): Interval {
  return { lo: geohashToZ(range.lo), hi: geohashToZ(range.hi.replace(/~$/, '')) };
}

function subtract(intervals: Interval[], remove: Interval[]): Interval[] {
  let current = intervals;
  for (const r of mergeAdjacent(remove)) {
    const next: Interval[] = [];
    for (const iv of current) {
      if (r.hi < iv.lo || r.lo > iv.hi) next.push(iv);
      else {
        if (iv.lo < r.lo) next.push({ lo: iv.lo, hi: r.lo - 1 });
        if (iv.hi > r.hi) next.push({ lo: r.hi + 1, hi: iv.hi });
      }
    }
    current = next;
  }
  return current;
}

/** Pieces of an interval that each lie in one partition (a geohash-5 cell, or a polar cap). */
function splitByPartition(iv: Interval): (Interval & { partition: string })[] {
  const pieces: (Interval & { partition: string })[] = [];
  let lo = iv.lo;
  while (lo <= iv.hi) {
    const partition = partitionOfZ(lo);
    // A polar partition spans whole geohash-2 cells; any other, one geohash-5 cell.
    const block = partition === 'PN' || partition === 'PS' ? GH2_SHIFT : PARTITION_SHIFT;
    const end = Math.min(iv.hi, (Math.floor(lo / block) + 1) * block - 1);
    const last = pieces.at(-1);
    if (last && last.partition === partition && last.hi + 1 === lo) last.hi = end;
    else pieces.push({ lo, hi: end, partition });
    lo = end + 1;
  }
  return pieces;
}
