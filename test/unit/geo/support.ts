// Helpers for the geo tests: a seeded PRNG, lots, and the area a set of ranges reads.

import type { CellRange } from '../../../shared/geo';
import {
  EARTH_RADIUS_METRES,
  type LatLon,
  partitionOf,
  type Rankable,
  sortCellOf,
} from '../../../shared/geo';

export { seededRandom as mulberry32 } from '../../../shared/domain/random';

export interface TestLot extends Rankable {
  partition: string;
  gsk: string;
}

export function lotAt(id: string, location: LatLon, free = 1): TestLot {
  return { id, location, free, partition: partitionOf(location), gsk: `${sortCellOf(location)}#${id}` };
}

/** Ranges grouped by partition, to test many lots quickly. */
export function indexRanges(ranges: readonly CellRange[]): Map<string, CellRange[]> {
  const byPartition = new Map<string, CellRange[]>();
  for (const range of ranges) {
    const list = byPartition.get(range.partition);
    if (list) list.push(range);
    else byPartition.set(range.partition, [range]);
  }
  return byPartition;
}

/** What DynamoDB does: the lot's partition matches and lo <= gsk <= hi (byte order = code-unit order for ASCII). */
export function isRead(lot: TestLot, byPartition: Map<string, CellRange[]>): boolean {
  return (byPartition.get(lot.partition) ?? []).some((r) => r.lo <= lot.gsk && lot.gsk <= r.hi);
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

export function geohash10ToZ(hash: string): number {
  let z = 0;
  for (const char of hash) z = z * 32 + BASE32.indexOf(char);
  return z;
}

/** Inclusive Z-order (geohash-10 integer) interval of a range. */
export function zInterval(range: CellRange): [number, number] {
  return [geohash10ToZ(range.lo), geohash10ToZ(range.hi.slice(0, 10))];
}

/** Z-order intervals of the 32 geohash-2 cells of a polar row (all latitude bits 1 or 0). */
function polarCells(north: boolean): Array<[number, number]> {
  const cells: Array<[number, number]> = [];
  for (let col = 0; col < 32; col++) {
    let code = 0;
    for (let bit = 4; bit >= 0; bit--) code = code * 4 + ((col >> bit) & 1) * 2 + (north ? 1 : 0);
    cells.push([code * 2 ** 40, (code + 1) * 2 ** 40 - 1]);
  }
  return cells;
}

/** Square metres (on geolib's sphere) of the sort cells a range can return. */
export function rangeArea(range: CellRange): number {
  const [from, to] = zInterval(range);
  if (range.partition !== 'PN' && range.partition !== 'PS') return intervalArea(from, to);
  // A polar partition holds only its row's geohash-2 cells, whatever the range spans between them.
  let area = 0;
  for (const [start, end] of polarCells(range.partition === 'PN')) {
    if (Math.min(to, end) >= Math.max(from, start))
      area += intervalArea(Math.max(from, start), Math.min(to, end));
  }
  return area;
}

/** Area of [from, to] split into aligned power-of-two blocks (each a lat/lon box). */
function intervalArea(from: number, to: number): number {
  let area = 0;
  let z = from;
  while (z <= to) {
    let k = 0;
    while (k < 50 && z % 2 ** (k + 1) === 0 && z + 2 ** (k + 1) - 1 <= to) k++;
    area += blockArea(z, k);
    z += 2 ** k;
  }
  return area;
}

function blockArea(z: number, freeBits: number): number {
  let lonIndex = 0;
  let latIndex = 0;
  for (let bit = 49; bit >= 0; bit--) {
    const value = Math.floor(z / 2 ** bit) % 2;
    if (bit % 2 === 1) lonIndex = lonIndex * 2 + value;
    else latIndex = latIndex * 2 + value;
  }
  const lonCells = 2 ** Math.floor(freeBits / 2);
  const latCells = 2 ** Math.ceil(freeBits / 2);
  const cellLon = (360 / 2 ** 25) * (Math.PI / 180);
  const cellLat = 180 / 2 ** 25;
  const south = -90 + latIndex * cellLat;
  const north = south + latCells * cellLat;
  const toRad = Math.PI / 180;
  return EARTH_RADIUS_METRES ** 2 * lonCells * cellLon * (Math.sin(north * toRad) - Math.sin(south * toRad));
}

/** Area of a circle of `radius` metres on geolib's sphere. */
export function circleArea(radius: number): number {
  return 2 * Math.PI * EARTH_RADIUS_METRES ** 2 * (1 - Math.cos(radius / EARTH_RADIUS_METRES));
}
