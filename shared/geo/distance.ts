// The one distance of the service: geolib's great-circle metres, rounded to an integer.
import { getDistance } from 'geolib';
import { assertLatLon, type LatLon } from './latlon';

/** geolib's sphere: getDistance uses this radius, so the cell covering must use it too. */
export const EARTH_RADIUS_METRES = 6_378_137;

/** Great-circle distance in integer metres (geolib `getDistance`), the distance used everywhere. */
export function metresBetween(a: LatLon, b: LatLon): number {
  assertLatLon(a, 'metresBetween: a');
  assertLatLon(b, 'metresBetween: b');
  return uncheckedMetresBetween(a, b);
}

/** metresBetween for points already checked (the ranking loop checks each lot with its id). */
export function uncheckedMetresBetween(a: LatLon, b: LatLon): number {
  return getDistance(a, b);
}
