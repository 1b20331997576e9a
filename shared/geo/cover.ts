// Covering a circle with sort-key ranges of the geo index (partition = geohash-5 or PN/PS,
// sort key = `<geohash10>#<lotId>`).
//
// Invariant: the ranges hold every sort cell that can contain a point whose metresBetween() to
// the centre is <= radius. The cells are a superset of the circle, so callers filter the lots
// read by exact distance afterwards.
//
// Method: pick a cell level (any bit count, not only whole base32 characters) fine enough that
// the cells meeting the circle hug it; list those cells row by row from the exact spherical
// longitude extent of the circle in each row; turn them into Z-order intervals of geohash-10
// integers, merge neighbours, subtract `exclude`, then close the smallest gaps until the range
// budget is met (for a fixed number of ranges, keeping the largest gaps open reads the least).
import { EARTH_RADIUS_METRES } from './distance';
import {
  AXIS_BITS,
  geohashToZ,
  NORTH_POLAR_PARTITION,
  PARTITION_PRECISION,
  partitionNumberOfZ,
  partitionOfZ,
  polarRowIntervals,
  SORT_BITS,
  SOUTH_POLAR_PARTITION,
  spread,
  zToGeohash,
} from './geohash';
import { assertLatLon, type LatLon } from './latlon';

/** A Query of one partition: `gsk BETWEEN lo AND hi`. */
export interface CellRange {
  partition: string;
  lo: string;
  hi: string;
}

export interface CoverOptions {
  /** Range budget per call (default 8); see coverCircle for when it is exceeded. */
  maxRanges?: number;
  /** Ranges already read for the same centre (earlier, smaller circles): nothing in them is returned. */
  exclude?: readonly CellRange[];
  /**
   * A gap between two ranges of one partition smaller than this is read rather than paying for
   * another request (default 10,000 m², one hectare: about one parking lot, under one item of
   * reads, while a request costs at least 0.5 RCU). 0: use every range the budget allows.
   */
  minGapSquareMetres?: number;
  /**
   * Partitions known to hold no lot (from the directory of non-empty cells): no range of them is
   * returned, and listing their cells costs next to nothing, so a ring of a wide circle that meets
   * thousands of partitions stays cheap once the few that hold lots are known.
   */
  skipPartitions?: ReadonlySet<string>;
}

export const DEFAULT_MAX_RANGES = 8;
export const DEFAULT_MIN_GAP_SQUARE_METRES = 10_000;
/** Twice the API's largest radius; beyond it the geohash-5 partitions would need thousands of queries. */
export const MAX_COVER_RADIUS_METRES = 100_000;
/** Appended to the last geohash of a range: '~' sorts after every base32 character and after '#'. */
export const RANGE_HI_SUFFIX = '~';

/**
 * Margin for geolib: it rounds to whole metres (up to +0.5 m) and its acos loses ~0.1 m near
 * zero; 1 m + 0.1% covers both with room for our own floating-point error.
 */
const coverRadius = (radius: number) => radius * 1.001 + 1;

/** Cells listed at the chosen level: finer hugs the circle better, coarser is faster. */
const TARGET_CELLS = 256;
const PARTITION_LEVEL = PARTITION_PRECISION * 5;
/** Polar rows are one partition each, so any level from geohash-2 rows down works there. */
const POLAR_MIN_LEVEL = 10;
const DEG = Math.PI / 180;
const SORT_CELL_AREA_AT_EQUATOR =
  EARTH_RADIUS_METRES ** 2 * ((2 * Math.PI) / 2 ** AXIS_BITS) * (Math.PI / 2 ** AXIS_BITS);

type Zone = 'S' | 'M' | 'N';

interface Circle {
  /** Centre latitude (radians), its cosine, centre longitude (degrees). */
  phi: number;
  cosPhi: number;
  lon: number;
  /** sin²(δ/2) for the angular radius δ (with margin). */
  h2: number;
  /** Latitude range (degrees, clamped to the poles). */
  latMin: number;
  latMax: number;
  /** Whether the circle contains the north / south pole (then it spans every longitude there). */
  north: boolean;
  south: boolean;
  /** Latitude (radians) where the circle is widest in longitude; null if it contains a pole. */
  tangent: number | null;
}

/** Z-order intervals of one partition, ascending and disjoint. */
interface Group {
  partition: string;
  starts: number[];
  ends: number[];
}

/**
 * Ranges that together hold every lot within `radiusMetres` of `center` (a superset), minus
 * anything in `options.exclude`. Each range lies in one partition. At most `maxRanges` are
 * returned, with two exceptions, because ranges in different partitions cannot merge and no
 * range may reach into `exclude`:
 * - a circle meeting more partitions than maxRanges (at lat 52 a 5 km circle meets 10-15
 *   geohash-5 cells, a 50 km one ~500) gets one range per partition it meets;
 * - each hole that `exclude` cuts out of the cover costs one extra range (an outward ring is
 *   typically maxRanges + the number of ranges read before), so that the ring never reads more
 *   than a fresh cover of its circle would.
 * Fewer ranges come back when a split would save less than `minGapSquareMetres`.
 */
export function coverCircle(center: LatLon, radiusMetres: number, options: CoverOptions = {}): CellRange[] {
  assertLatLon(center, 'coverCircle: center');
  if (
    typeof radiusMetres !== 'number' ||
    !Number.isFinite(radiusMetres) ||
    radiusMetres <= 0 ||
    radiusMetres > MAX_COVER_RADIUS_METRES
  ) {
    throw new RangeError(
      `coverCircle: radius must be a number in (0, ${MAX_COVER_RADIUS_METRES}] metres, got ${String(radiusMetres)}`,
    );
  }
  const maxRanges = options.maxRanges ?? DEFAULT_MAX_RANGES;
  if (!Number.isInteger(maxRanges) || maxRanges < 1) {
    throw new RangeError(`coverCircle: maxRanges must be an integer >= 1, got ${String(maxRanges)}`);
  }
  const minGap = options.minGapSquareMetres ?? DEFAULT_MIN_GAP_SQUARE_METRES;
  if (typeof minGap !== 'number' || !(minGap >= 0) || !Number.isFinite(minGap)) {
    throw new RangeError(
      `coverCircle: minGapSquareMetres must be a finite number >= 0, got ${String(minGap)}`,
    );
  }
  const excluded = parseExclude(options.exclude ?? []);
  const skip = parseSkip(options.skipPartitions);
  const circle = circleOf(center, coverRadius(radiusMetres));

  const groups: Group[] = [];
  for (const zone of ['S', 'M', 'N'] as const) {
    if ((zone === 'N' && skip.north) || (zone === 'S' && skip.south)) continue;
    const minLevel = zone === 'M' ? PARTITION_LEVEL : POLAR_MIN_LEVEL;
    if (scan(circle, zone, minLevel, null) === 0) continue;
    let level = minLevel;
    while (level < SORT_BITS && scan(circle, zone, level + 1, null) <= TARGET_CELLS) level++;
    const starts: number[] = [];
    scan(circle, zone, level, starts, zone === 'M' ? skip.numbers : null);
    for (const group of groupCells(zone, Float64Array.from(starts).sort(), 2 ** (SORT_BITS - level))) {
      const ex = excluded.get(group.partition);
      const rest = ex ? subtract(group, ex) : group;
      if (rest.starts.length > 0) groups.push(rest);
    }
  }
  return toRanges(groups, closeGaps(groups, excluded, maxRanges, minGapCells(minGap, circle)));
}

/**
 * Every partition that may hold a lot within `radiusMetres` of `center`, sorted, each once: the
 * geohash-5 cells the circle may meet (listed at the partition level itself, so a superset of the
 * partitions of any coverCircle of the same centre and a radius no larger), and PN / PS when it
 * reaches a polar row.
 */
export function partitionsMeeting(center: LatLon, radiusMetres: number): string[] {
  assertLatLon(center, 'partitionsMeeting: center');
  if (
    typeof radiusMetres !== 'number' ||
    !Number.isFinite(radiusMetres) ||
    radiusMetres <= 0 ||
    radiusMetres > MAX_COVER_RADIUS_METRES
  ) {
    throw new RangeError(
      `partitionsMeeting: radius must be a number in (0, ${MAX_COVER_RADIUS_METRES}] metres, got ${String(radiusMetres)}`,
    );
  }
  const circle = circleOf(center, coverRadius(radiusMetres));
  const partitions = new Set<string>();
  if (scan(circle, 'S', POLAR_MIN_LEVEL, null) > 0) partitions.add(SOUTH_POLAR_PARTITION);
  if (scan(circle, 'N', POLAR_MIN_LEVEL, null) > 0) partitions.add(NORTH_POLAR_PARTITION);
  const starts: number[] = [];
  scan(circle, 'M', PARTITION_LEVEL, starts);
  for (const start of starts) partitions.add(partitionOfZ(start));
  return [...partitions].sort();
}

interface Skip {
  numbers: Set<number> | null;
  north: boolean;
  south: boolean;
}

function parseSkip(partitions: ReadonlySet<string> | undefined): Skip {
  if (partitions === undefined) return { numbers: null, north: false, south: false };
  if (!(partitions instanceof Set))
    throw new RangeError('coverCircle: skipPartitions must be a Set of partitions');
  const numbers = new Set<number>();
  for (const p of partitions) {
    if (p === NORTH_POLAR_PARTITION || p === SOUTH_POLAR_PARTITION) continue;
    const z =
      typeof p === 'string' && p.length === PARTITION_PRECISION ? geohashToZ(p.padEnd(10, '0')) : null;
    if (z === null) {
      throw new RangeError(
        `coverCircle: skipPartitions holds ${JSON.stringify(p)}, not 'PN', 'PS' or a geohash-5`,
      );
    }
    numbers.add(partitionNumberOfZ(z));
  }
  return {
    numbers,
    north: partitions.has(NORTH_POLAR_PARTITION),
    south: partitions.has(SOUTH_POLAR_PARTITION),
  };
}

function circleOf(center: LatLon, radiusMetres: number): Circle {
  const delta = radiusMetres / EARTH_RADIUS_METRES;
  const phi = center.lat * DEG;
  const sinTangent = Math.sin(phi) / Math.cos(delta);
  return {
    phi,
    cosPhi: Math.cos(phi),
    lon: center.lon,
    h2: Math.sin(delta / 2) ** 2,
    latMin: Math.max(-90, center.lat - delta / DEG),
    latMax: Math.min(90, center.lat + delta / DEG),
    north: phi + delta >= Math.PI / 2,
    south: phi - delta <= -Math.PI / 2,
    tangent: Math.abs(sinTangent) < 1 ? Math.asin(sinTangent) : null,
  };
}

/** `squareMetres` in sort cells near the circle (polar cells are tiny: their cosine is floored). */
function minGapCells(squareMetres: number, c: Circle): number {
  return squareMetres / (SORT_CELL_AREA_AT_EQUATOR * Math.max(0.01, c.cosPhi));
}

/** sin²(Δλ/2) of the circle's edge at latitude phi (>= 1: every longitude; <= 0: none). */
function lonFactor(c: Circle, phi: number): number {
  const s = Math.sin((phi - c.phi) / 2);
  return (c.h2 - s * s) / (Math.cos(phi) * c.cosPhi);
}

/**
 * Largest longitude offset (degrees) from the centre of a circle point with latitude in
 * [south, north]. The offset is unimodal in latitude (peak at the tangent latitude, or rising
 * towards a pole the circle contains), so the band's ends and the tangent latitude suffice.
 */
function halfWidth(c: Circle, south: number, north: number): number {
  if ((north >= 90 && c.north) || (south <= -90 && c.south)) return 180;
  const a = south * DEG;
  const b = north * DEG;
  let x = Math.max(lonFactor(c, a), lonFactor(c, b));
  if (c.tangent !== null && c.tangent > a && c.tangent < b) x = Math.max(x, lonFactor(c, c.tangent));
  if (!(x < 1)) return 180; // also NaN: be generous rather than wrong
  if (x <= 0) return 0;
  return (2 * Math.asin(Math.sqrt(x))) / DEG;
}

/**
 * Counts the cells of `level` in `zone` that may meet the circle and, with `out`, pushes the
 * Z-order start (geohash-10 integer) of each, except those in a partition of `skip` (level >= 25
 * only). Rows are 2^⌊level/2⌋ latitude bands, columns 2^⌈level/2⌉ longitude bands; the polar
 * zones are the top and bottom geohash-2 rows.
 */
function scan(
  c: Circle,
  zone: Zone,
  level: number,
  out: number[] | null,
  skip: Set<number> | null = null,
): number {
  const lonBits = (level + 1) >> 1;
  const latBits = level >> 1;
  const rows = 2 ** latBits;
  const cols = 2 ** lonBits;
  const rowHeight = 180 / rows;
  const colWidth = 360 / cols;
  const polarRows = 2 ** (latBits - 5);
  const zoneFirst = zone === 'S' ? 0 : zone === 'M' ? polarRows : rows - polarRows;
  const zoneLast = zone === 'S' ? polarRows - 1 : zone === 'M' ? rows - polarRows - 1 : rows - 1;
  const first = Math.max(zoneFirst, Math.floor((c.latMin + 90) / rowHeight));
  const last = Math.min(zoneLast, Math.floor((c.latMax + 90) / rowHeight));
  // Geohash bits alternate from the top starting with longitude; the lowest bit is latitude
  // when the level is even, longitude when it is odd.
  const lonWeight = level % 2 === 0 ? 2 : 1;
  const latWeight = level % 2 === 0 ? 1 : 2;
  const cellSize = 2 ** (SORT_BITS - level);
  let count = 0;
  for (let row = first; row <= last; row++) {
    const south = Math.max(c.latMin, -90 + row * rowHeight);
    const north = Math.min(c.latMax, -90 + (row + 1) * rowHeight);
    const half = halfWidth(c, south, north);
    let west = Math.floor((c.lon - half + 180) / colWidth);
    let east = Math.floor((c.lon + half + 180) / colWidth);
    if (half >= 180 || east - west + 1 >= cols) {
      west = 0;
      east = cols - 1;
    }
    count += east - west + 1;
    if (out === null) continue;
    const rowZ = spread(row) * latWeight;
    for (let col = west; col <= east; col++) {
      // Columns past ±180 wrap: the antimeridian is an ordinary place.
      const wrapped = col < 0 ? col + cols : col >= cols ? col - cols : col;
      const start = (spread(wrapped) * lonWeight + rowZ) * cellSize;
      if (skip?.has(partitionNumberOfZ(start))) continue;
      out.push(start);
    }
  }
  return count;
}

/** Sorted cell starts of one zone -> merged intervals, one group per partition. */
function groupCells(zone: Zone, starts: Float64Array, cellSize: number): Group[] {
  const groups: Group[] = [];
  let group: Group | null = null;
  let groupNumber = -1;
  for (const start of starts) {
    const end = start + cellSize - 1;
    // Polar zones are one partition each; elsewhere cells of level >= 25 lie in one geohash-5.
    const number = zone === 'M' ? partitionNumberOfZ(start) : 0;
    if (group === null || number !== groupNumber) {
      const partition =
        zone === 'M' ? partitionOfZ(start) : zone === 'N' ? NORTH_POLAR_PARTITION : SOUTH_POLAR_PARTITION;
      group = { partition, starts: [start], ends: [end] };
      groups.push(group);
      groupNumber = number;
      continue;
    }
    const last = group.ends.length - 1;
    if (start <= group.ends[last]! + 1) group.ends[last] = Math.max(group.ends[last]!, end);
    else {
      group.starts.push(start);
      group.ends.push(end);
    }
  }
  return groups;
}

const PARTITION_PATTERN = /^(PN|PS|[0-9b-hjkmnp-z]{5})$/;

/** Excluded ranges as merged Z-order intervals per partition. */
function parseExclude(exclude: readonly CellRange[]): Map<string, Group> {
  if (!Array.isArray(exclude)) throw new RangeError('coverCircle: exclude must be an array of ranges');
  const byPartition = new Map<string, Array<[number, number]>>();
  exclude.forEach((range, i) => {
    const what = `coverCircle: exclude[${i}]`;
    if (typeof range !== 'object' || range === null || !PARTITION_PATTERN.test(String(range.partition))) {
      throw new RangeError(`${what}.partition must be 'PN', 'PS' or a 5-character geohash`);
    }
    const lo = typeof range.lo === 'string' ? geohashToZ(range.lo) : null;
    const hi =
      typeof range.hi === 'string' && range.hi.endsWith(RANGE_HI_SUFFIX)
        ? geohashToZ(range.hi.slice(0, -RANGE_HI_SUFFIX.length))
        : null;
    if (lo === null || hi === null || lo > hi) {
      throw new RangeError(
        `${what} must be a range returned by coverCircle (lo: geohash-10, hi: geohash-10 + '~')`,
      );
    }
    const list = byPartition.get(range.partition) ?? [];
    list.push([lo, hi]);
    byPartition.set(range.partition, list);
  });
  const merged = new Map<string, Group>();
  for (const [partition, list] of byPartition) {
    list.sort((a, b) => a[0] - b[0]);
    const group: Group = { partition, starts: [], ends: [] };
    for (const [lo, hi] of list) {
      const last = group.ends.length - 1;
      if (last >= 0 && lo <= group.ends[last]! + 1) group.ends[last] = Math.max(group.ends[last]!, hi);
      else {
        group.starts.push(lo);
        group.ends.push(hi);
      }
    }
    merged.set(partition, group);
  }
  return merged;
}

/** `group` minus `ex` (both ascending and disjoint). */
function subtract(group: Group, ex: Group): Group {
  const rest: Group = { partition: group.partition, starts: [], ends: [] };
  let j = 0;
  for (let i = 0; i < group.starts.length; i++) {
    let from = group.starts[i]!;
    const to = group.ends[i]!;
    while (j < ex.starts.length && ex.ends[j]! < from) j++;
    for (let k = j; from <= to; k++) {
      if (k >= ex.starts.length || ex.starts[k]! > to) {
        rest.starts.push(from);
        rest.ends.push(to);
        break;
      }
      if (ex.starts[k]! > from) {
        rest.starts.push(from);
        rest.ends.push(ex.starts[k]! - 1);
      }
      from = ex.ends[k]! + 1;
    }
  }
  return rest;
}

const POLAR_CELLS = { PN: polarRowIntervals('N'), PS: polarRowIntervals('S') } as const;

/** What reading [from, to] in `partition` costs, in sort cells that can hold its lots. */
function gapCost(partition: string, from: number, to: number): number {
  if (partition !== NORTH_POLAR_PARTITION && partition !== SOUTH_POLAR_PARTITION) return to - from + 1;
  // A polar partition holds only its 32 geohash-2 cells; the Z-order between them is free.
  let cost = 0;
  for (const [start, end] of POLAR_CELLS[partition]) {
    cost += Math.max(0, Math.min(to, end) - Math.max(from, start) + 1);
  }
  return cost;
}

/**
 * Decides which gaps between intervals stay open: split[offset[g] + i] = 1 when a range of
 * group g ends after its interval i. Gaps holding excluded cells must stay open; of the rest,
 * the most expensive stay open while the budget (maxRanges minus one range per partition)
 * lasts and they cost at least `minGap` cells.
 */
function closeGaps(
  groups: readonly Group[],
  excluded: Map<string, Group>,
  maxRanges: number,
  minGap: number,
): { split: Uint8Array; offset: number[] } {
  const offset: number[] = [];
  let gaps = 0;
  for (const group of groups) {
    offset.push(gaps);
    gaps += group.starts.length - 1;
  }
  const split = new Uint8Array(gaps);
  const optional: Array<{ gap: number; cost: number; from: number }> = [];
  groups.forEach((group, g) => {
    const ex = excluded.get(group.partition);
    let j = 0;
    for (let i = 0; i + 1 < group.starts.length; i++) {
      const from = group.ends[i]! + 1;
      const to = group.starts[i + 1]! - 1;
      while (ex && j < ex.starts.length && ex.ends[j]! < from) j++;
      if (ex && j < ex.starts.length && ex.starts[j]! <= to) {
        split[offset[g]! + i] = 1;
      } else {
        optional.push({ gap: offset[g]! + i, cost: gapCost(group.partition, from, to), from });
      }
    }
  });
  // Holes cut by `exclude` do not spend the budget, so a ring reads no more than a fresh cover would.
  let open = Math.max(0, maxRanges - groups.length);
  if (open > 0) {
    optional.sort((a, b) => b.cost - a.cost || a.from - b.from);
    open = Math.min(open, optional.length);
    while (open > 0 && optional[open - 1]!.cost < minGap) open--;
    for (let k = 0; k < open; k++) split[optional[k]!.gap] = 1;
  }
  return { split, offset };
}

/** Ranges in a fixed order: south polar, then by partition and Z-order, then north polar. */
function toRanges(groups: readonly Group[], { split, offset }: ReturnType<typeof closeGaps>): CellRange[] {
  const ranges: CellRange[] = [];
  groups.forEach((group, g) => {
    let from = group.starts[0]!;
    const last = group.starts.length - 1;
    for (let i = 0; i <= last; i++) {
      if (i === last || split[offset[g]! + i] === 1) {
        ranges.push({
          partition: group.partition,
          lo: zToGeohash(from),
          hi: zToGeohash(group.ends[i]!) + RANGE_HI_SUFFIX,
        });
        from = group.starts[i + 1]!;
      }
    }
  });
  return ranges;
}
