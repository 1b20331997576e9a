// Geohash cells and boxes: which cells of a level a box meets, and whether it holds them whole.
// Pure; the clusters of large boxes are built on these (README "Boxes of any size").
import { BASE32, bisect, geohashEncode } from './geohash';

/** A box as the API takes it; minLon > maxLon crosses the antimeridian. */
export interface GeoBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface CellBounds {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** Longitude and latitude bits of a geohash of `precision` characters (longitude first). */
function bits(precision: number): { lon: number; lat: number } {
  const total = precision * 5;
  return { lon: Math.ceil(total / 2), lat: Math.floor(total / 2) };
}

/** The bounds of a geohash cell. */
export function geohashBounds(hash: string): CellBounds {
  let minLat = -90;
  let maxLat = 90;
  let minLon = -180;
  let maxLon = 180;
  let even = true;
  for (const char of hash) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) throw new RangeError(`not a geohash: ${hash}`);
    for (let bit = 4; bit >= 0; bit--) {
      const on = (digit >> bit) & 1;
      if (even) {
        const mid = (minLon + maxLon) / 2;
        if (on) minLon = mid;
        else maxLon = mid;
      } else {
        const mid = (minLat + maxLat) / 2;
        if (on) minLat = mid;
        else maxLat = mid;
      }
      even = !even;
    }
  }
  return { minLat, maxLat, minLon, maxLon };
}

/** The box's longitude spans: one, or two when it crosses the antimeridian. */
function lonSpans(box: GeoBox): Array<[number, number]> {
  return box.minLon <= box.maxLon
    ? [[box.minLon, box.maxLon]]
    : [
        [box.minLon, 180],
        [-180, box.maxLon],
      ];
}

/**
 * Row and column index ranges of `precision` that a box meets, decided by the geohash bisection
 * itself (so a point on a boundary is in the cell geohashEncode gives it). A box crossing the
 * antimeridian whose two spans share a column meets every column.
 */
function gridRanges(box: GeoBox, precision: number) {
  const b = bits(precision);
  const cols = 2 ** b.lon;
  const rows: [number, number] = [bisect(box.minLat, -90, 90, b.lat), bisect(box.maxLat, -90, 90, b.lat)];
  const lo = bisect(box.minLon, -180, 180, b.lon);
  const hi = bisect(box.maxLon, -180, 180, b.lon);
  const spans: Array<[number, number]> =
    box.minLon <= box.maxLon
      ? [[lo, hi]]
      : hi >= lo
        ? [[0, cols - 1]]
        : [
            [lo, cols - 1],
            [0, hi],
          ];
  return { rows, spans, b };
}

/** How many cells of `precision` a box meets, without listing them. */
export function cellCountMeeting(box: GeoBox, precision: number): number {
  const { rows, spans } = gridRanges(box, precision);
  return (rows[1] - rows[0] + 1) * spans.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/** The cells of `precision` a box meets (call only for counts cellCountMeeting allows). */
export function cellsMeeting(box: GeoBox, precision: number): string[] {
  const { rows, spans, b } = gridRanges(box, precision);
  const w = 360 / 2 ** b.lon;
  const h = 180 / 2 ** b.lat;
  const cells: string[] = [];
  for (const [lo, hi] of spans) {
    for (let y = rows[0]; y <= rows[1]; y++) {
      for (let x = lo; x <= hi; x++)
        cells.push(geohashEncode(-90 + (y + 0.5) * h, -180 + (x + 0.5) * w, precision));
    }
  }
  return cells.sort();
}

export function boxHoldsPoint(box: GeoBox, lat: number, lon: number): boolean {
  if (lat < box.minLat || lat > box.maxLat) return false;
  return box.minLon <= box.maxLon
    ? lon >= box.minLon && lon <= box.maxLon
    : lon >= box.minLon || lon <= box.maxLon;
}

/** Whether every point of the cell lies in the box (so its whole aggregate counts). */
export function boxHoldsCell(box: GeoBox, cell: CellBounds): boolean {
  if (cell.minLat < box.minLat || cell.maxLat > box.maxLat) return false;
  return lonSpans(box).some(([lo, hi]) => cell.minLon >= lo && cell.maxLon <= hi);
}

/** The finest precision (1..maxPrecision) at which the box meets at most `maxCells` cells. */
export function clusterPrecision(box: GeoBox, maxCells: number, maxPrecision: number): number {
  let precision = 1;
  while (precision < maxPrecision && cellCountMeeting(box, precision + 1) <= maxCells) precision++;
  return precision;
}
