// Geohashes as strings (the stored keys) and as 50-bit Z-order integers (the covering maths).
// Bit 49 of a geohash-10 integer is the first longitude bit, bit 48 the first latitude bit, and
// so on down to bit 0 (latitude). 2^50 < 2^53, so these integers are exact in a JS number.
import { assertLatLon, type LatLon } from './latlon';

export const SORT_PRECISION = 10;
export const PARTITION_PRECISION = 5;
/** Longest geohash geohashEncode makes (60 bits: each half still bisects exactly in a double). */
export const MAX_GEOHASH_PRECISION = 12;

/** Standard geohash alphabet; ASCII-ascending, so string order of equal-length hashes is Z-order. */
export const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
export const SORT_BITS = SORT_PRECISION * 5;
/** Bits per axis of a sort cell (25 longitude, 25 latitude). */
export const AXIS_BITS = SORT_BITS / 2;
const PARTITION_SHIFT = 2 ** (SORT_BITS - PARTITION_PRECISION * 5);
/** zToGeohash turns the 50 bits into two 25-bit halves of five base32 digits each. */
const HALF = 2 ** AXIS_BITS;
const GH2_SHIFT = 2 ** (SORT_BITS - 10);
/** Latitude bits of a geohash-2 integer (bits 8, 6, 4, 2, 0). */
const GH2_LAT_MASK = 0b0101010101;

/** Geohash-2 rows are 5.625° tall: the top row (lat >= 84.375) is one partition, the bottom row another. */
export const NORTH_POLAR_PARTITION = 'PN';
export const SOUTH_POLAR_PARTITION = 'PS';

/**
 * Cell index of `value` in [min, max] split into 2^bits equal cells, by the geohash bisection:
 * a value on a boundary goes to the upper cell, and max itself to the last cell. The midpoints
 * are dyadic fractions of 180 or 360, exact in a double, so boundaries are decided exactly.
 */
export function bisect(value: number, min: number, max: number, bits: number): number {
  let lo = min;
  let hi = max;
  let index = 0;
  for (let i = 0; i < bits; i++) {
    const mid = (lo + hi) / 2;
    index *= 2;
    if (value >= mid) {
      index += 1;
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return index;
}

/** Standard base32 geohash of the point, `precision` characters (1..12). */
export function geohashEncode(lat: number, lon: number, precision: number): string {
  assertLatLon({ lat, lon }, 'geohashEncode: point');
  if (!Number.isInteger(precision) || precision < 1 || precision > MAX_GEOHASH_PRECISION) {
    throw new RangeError(
      `geohashEncode: precision must be an integer in [1, ${MAX_GEOHASH_PRECISION}], got ${String(precision)}`,
    );
  }
  const bits = precision * 5;
  const lonBits = Math.ceil(bits / 2);
  const latBits = Math.floor(bits / 2);
  const lonIndex = bisect(lon, -180, 180, lonBits);
  const latIndex = bisect(lat, -90, 90, latBits);
  let hash = '';
  let char = 0;
  for (let bit = 0; bit < bits; bit++) {
    // Even bits (from the top) are longitude, odd bits latitude.
    const axisBit =
      bit % 2 === 0
        ? Math.floor(lonIndex / 2 ** (lonBits - 1 - bit / 2)) % 2
        : Math.floor(latIndex / 2 ** (latBits - 1 - (bit - 1) / 2)) % 2;
    char = char * 2 + axisBit;
    if (bit % 5 === 4) {
      hash += BASE32[char];
      char = 0;
    }
  }
  return hash;
}

/** SPREAD8[b] = the 8 bits of b moved to the even bit positions of a 16-bit number. */
const SPREAD8 = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  let s = 0;
  for (let i = 0; i < 8; i++) s |= ((b >> i) & 1) << (2 * i);
  SPREAD8[b] = s;
}

/** Bit i of x (x < 2^26) moved to bit 2i; exact up to 2^52. */
export function spread(x: number): number {
  return (
    SPREAD8[x & 255]! +
    SPREAD8[(x >>> 8) & 255]! * 2 ** 16 +
    SPREAD8[(x >>> 16) & 255]! * 2 ** 32 +
    SPREAD8[(x >>> 24) & 255]! * 2 ** 48
  );
}

/** The geohash-10 of a point as a 50-bit Z-order integer. */
export function sortZ(p: LatLon): number {
  return spread(bisect(p.lon, -180, 180, AXIS_BITS)) * 2 + spread(bisect(p.lat, -90, 90, AXIS_BITS));
}

/** The 10-character geohash of a 50-bit Z-order integer. */
export function zToGeohash(z: number): string {
  // Two 25-bit halves, so the digits come out with 32-bit integer operations.
  const high = Math.floor(z / HALF);
  return base32Digits5(high) + base32Digits5(z - high * HALF);
}

function base32Digits5(x: number): string {
  return (
    BASE32.charAt((x >>> 20) & 31) +
    BASE32.charAt((x >>> 15) & 31) +
    BASE32.charAt((x >>> 10) & 31) +
    BASE32.charAt((x >>> 5) & 31) +
    BASE32.charAt(x & 31)
  );
}

/** The 50-bit integer of a 10-character geohash, or null if it is not one. */
export function geohashToZ(hash: string): number | null {
  if (hash.length !== SORT_PRECISION) return null;
  let z = 0;
  for (const char of hash) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) return null;
    z = z * 32 + digit;
  }
  return z;
}

/** Which polar row (if any) a Z-order integer lies in: its geohash-2 cell decides. */
export function polarRowOfZ(z: number): 'N' | 'S' | null {
  const latBits = Math.floor(z / GH2_SHIFT) & GH2_LAT_MASK;
  if (latBits === GH2_LAT_MASK) return 'N';
  if (latBits === 0) return 'S';
  return null;
}

/** The partition (GSI partition key) holding the sort cell `z`: its geohash-5, or PN / PS. */
export function partitionOfZ(z: number): string {
  const row = polarRowOfZ(z);
  if (row === 'N') return NORTH_POLAR_PARTITION;
  if (row === 'S') return SOUTH_POLAR_PARTITION;
  return base32Digits5(partitionNumberOfZ(z));
}

/** Geohash-5 integer of a non-polar sort cell: equal for cells in the same partition. */
export function partitionNumberOfZ(z: number): number {
  return Math.floor(z / PARTITION_SHIFT);
}

/** Z-order intervals [start, end] of the 32 geohash-2 cells of one polar row. */
export function polarRowIntervals(row: 'N' | 'S'): Array<[number, number]> {
  const latBits = row === 'N' ? GH2_LAT_MASK : 0;
  const cells: Array<[number, number]> = [];
  for (let col = 0; col < 32; col++) {
    const start = (spread(col) * 2 + latBits) * GH2_SHIFT;
    cells.push([start, start + GH2_SHIFT - 1]);
  }
  return cells.sort((a, b) => a[0] - b[0]);
}

/** Partition key of a point: its geohash-5, or 'PN' / 'PS' in the polar geohash-2 rows. */
export function partitionOf(p: LatLon): string {
  assertLatLon(p, 'partitionOf: point');
  return partitionOfZ(sortZ(p));
}

/** Sort cell of a point: its geohash-10 (the GSI sort key is `<sortCell>#<lotId>`). */
export function sortCellOf(p: LatLon): string {
  assertLatLon(p, 'sortCellOf: point');
  return zToGeohash(sortZ(p));
}
