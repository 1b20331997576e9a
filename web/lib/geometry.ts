// Flat approximations for drawing a city-sized area: metres east/north of an origin. Fine at city
// scale; longitudes wrap at the antimeridian. (The service's own distances are great-circle.)
import type { LatLon } from './api-types';

// The same figure as shared/geo's: the pages may bundle only code from web/, so a test pins the two
// equal rather than this importing it.
export const METRES_PER_DEGREE = 111_320;

export interface Offset {
  /** Metres east of the origin. */
  x: number;
  /** Metres north of the origin. */
  y: number;
}

export function offsetFrom(origin: LatLon, point: LatLon): Offset {
  const dLon = ((point.lon - origin.lon + 540) % 360) - 180;
  return {
    x: dLon * METRES_PER_DEGREE * Math.cos((origin.lat * Math.PI) / 180),
    y: (point.lat - origin.lat) * METRES_PER_DEGREE,
  };
}

/**
 * `minLon,minLat,maxLon,maxLat` of the square `halfMetres` each way from the centre, for `bbox=`.
 * Large areas (the dashboard's country-sized ones) are kept a valid box: latitudes stop at the
 * poles, and a square as wide as the world (or near a pole, where a degree of longitude is short)
 * spans every longitude.
 */
export function bboxAround(centre: LatLon, halfMetres: number): string {
  const dLat = halfMetres / METRES_PER_DEGREE;
  const minLat = Math.max(-90, centre.lat - dLat);
  const maxLat = Math.min(90, centre.lat + dLat);
  const cos = Math.cos((centre.lat * Math.PI) / 180);
  const dLon = cos > 0 ? halfMetres / (METRES_PER_DEGREE * cos) : Number.POSITIVE_INFINITY;
  const wrap = (lon: number) => ((lon + 540) % 360) - 180;
  const [minLon, maxLon] = dLon >= 180 ? [-180, 180] : [wrap(centre.lon - dLon), wrap(centre.lon + dLon)];
  return [minLon, minLat, maxLon, maxLat].map((v) => v.toFixed(5)).join(',');
}
