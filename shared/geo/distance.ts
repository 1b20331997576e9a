import { getDistance } from 'geolib';

export interface LatLon {
  lat: number;
  lon: number;
}

/** geolib's earth radius (metres): covers use the same sphere as the distances they serve. */
export const EARTH_RADIUS = 6378137;

/** Great-circle distance in whole metres: geolib's getDistance, THE distance used everywhere. */
export function metresBetween(a: LatLon, b: LatLon): number {
  return getDistance({ latitude: a.lat, longitude: a.lon }, { latitude: b.lat, longitude: b.lon });
}
