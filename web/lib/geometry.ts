// Flat approximations for drawing a city-sized area: metres east/north of an origin. Fine at city
// scale; longitudes wrap at the antimeridian. (The service's own distances are great-circle.)
import type { LatLon } from './api-types';

const METRES_PER_DEGREE = 111_320;

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

/** `minLon,minLat,maxLon,maxLat` of the square `halfMetres` each way from the centre, for `bbox=`. */
export function bboxAround(centre: LatLon, halfMetres: number): string {
  const dLat = halfMetres / METRES_PER_DEGREE;
  const dLon = halfMetres / (METRES_PER_DEGREE * Math.cos((centre.lat * Math.PI) / 180));
  const wrap = (lon: number) => ((lon + 540) % 360) - 180;
  return [wrap(centre.lon - dLon), centre.lat - dLat, wrap(centre.lon + dLon), centre.lat + dLat]
    .map((v) => v.toFixed(5))
    .join(',');
}
