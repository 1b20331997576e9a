// The few key ranges that list a set of geo-index partitions (those a circle meets:
// partitionsMeeting in ./cover) in a Z-ordered directory of cells (one key per partition: its
// geohash-5, or PN / PS).
//
// A 50 km circle meets ~600 geohash-5 partitions at lat 52 and ~3,200 at lat 84 (cells narrow
// with the cosine of the latitude), most of them empty anywhere on Earth. Reading which of them
// hold lots from a directory whose sort key is the partition key costs a few Queries over merged
// Z-order ranges instead of one Query per partition (README "Nearby query").
import { BASE32, NORTH_POLAR_PARTITION, SOUTH_POLAR_PARTITION } from './geohash';

/** An inclusive range of directory sort keys: `sk BETWEEN lo AND hi`. */
export interface KeyRange {
  lo: string;
  hi: string;
}

export interface KeyRangeOptions {
  /** At most this many ranges (default 8). */
  maxRanges?: number;
  /**
   * A gap of fewer partitions than this is read rather than paying for another Query (default
   * 128: a directory item is ~30 bytes, so 128 of them are about one 4 KB read unit, what a
   * Query costs at least).
   */
  minGap?: number;
}

export const DEFAULT_MAX_KEY_RANGES = 8;
export const DEFAULT_MIN_KEY_GAP = 128;

const isPolar = (partition: string) =>
  partition === NORTH_POLAR_PARTITION || partition === SOUTH_POLAR_PARTITION;

/** A geohash-5 as its 25-bit Z-order integer (string order of geohash-5s is numeric order). */
function geohash5ToNumber(hash: string): number {
  let n = 0;
  for (const char of hash) {
    const digit = BASE32.indexOf(char);
    if (digit < 0 || hash.length !== 5) throw new RangeError(`not a geo-index partition: ${hash}`);
    n = n * 32 + digit;
  }
  return n;
}

function numberToGeohash5(n: number): string {
  let hash = '';
  for (let shift = 20; shift >= 0; shift -= 5) hash += BASE32.charAt(Math.floor(n / 2 ** shift) % 32);
  return hash;
}

/**
 * Ranges of directory keys that together hold every key of `partitions` (they may hold other
 * keys too: callers keep only the partitions they asked for). Polar partitions are single keys;
 * geohash-5 partitions merge into Z-order runs, closing the smallest gaps until the budget is
 * met, and every gap shorter than `minGap`.
 */
export function partitionKeyRanges(partitions: readonly string[], options: KeyRangeOptions = {}): KeyRange[] {
  const maxRanges = options.maxRanges ?? DEFAULT_MAX_KEY_RANGES;
  const minGap = options.minGap ?? DEFAULT_MIN_KEY_GAP;
  if (!Number.isInteger(maxRanges) || maxRanges < 1) {
    throw new RangeError(`partitionKeyRanges: maxRanges must be an integer >= 1, got ${String(maxRanges)}`);
  }
  if (!(minGap >= 0)) throw new RangeError(`partitionKeyRanges: minGap must be >= 0, got ${String(minGap)}`);
  const polar = [...new Set(partitions.filter(isPolar))].sort();
  const numbers = [...new Set(partitions.filter((p) => !isPolar(p)).map(geohash5ToNumber))].sort(
    (a, b) => a - b,
  );
  const ranges: KeyRange[] = polar.map((p) => ({ lo: p, hi: p }));
  if (numbers.length === 0) return ranges;
  // Gaps between consecutive partitions, largest first; the `open` largest stay open.
  const gaps = numbers
    .slice(1)
    .map((n, i) => ({ at: i, size: n - numbers[i]! - 1 }))
    .filter((g) => g.size > 0)
    .sort((a, b) => b.size - a.size || a.at - b.at);
  const budget = Math.max(0, maxRanges - ranges.length - 1);
  const open = new Set(
    gaps
      .slice(0, budget)
      .filter((g) => g.size >= minGap)
      .map((g) => g.at),
  );
  let from = numbers[0]!;
  for (let i = 0; i < numbers.length; i++) {
    if (i === numbers.length - 1 || open.has(i)) {
      ranges.push({ lo: numberToGeohash5(from), hi: numberToGeohash5(numbers[i]!) });
      from = numbers[i + 1]!;
    }
  }
  return ranges;
}
