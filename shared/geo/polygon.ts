// A polygon ring on the globe: its bounding box (crossing the antimeridian when that is the
// shorter way round) and whether a point lies inside it. Planar in longitude and latitude, as
// GeoJSON polygons are drawn (RFC 7946 §3.1.1); a point exactly on an edge may fall either side.
import { isPointInPolygon } from 'geolib';
import type { LatLon } from './latlon';

export interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/**
 * A ring whose longitudes span more than 180° is read as crossing the antimeridian (as a box
 * with minLon > maxLon is): no polygon a client draws around a city is wider than half the Earth.
 */
function crosses(ring: readonly LatLon[]): boolean {
  const lons = ring.map((p) => p.lon);
  return Math.max(...lons) - Math.min(...lons) > 180;
}

/** Longitudes east of the antimeridian moved past 180, so a crossing ring is drawn in one piece. */
const unwrap = (lon: number) => (lon < 0 ? lon + 360 : lon);

export function ringBox(ring: readonly LatLon[]): Box {
  const lats = ring.map((p) => p.lat);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  if (!crosses(ring)) {
    const lons = ring.map((p) => p.lon);
    return { minLon: Math.min(...lons), minLat, maxLon: Math.max(...lons), maxLat };
  }
  const lons = ring.map((p) => unwrap(p.lon));
  const wrap = (lon: number) => (lon > 180 ? lon - 360 : lon);
  return { minLon: wrap(Math.min(...lons)), minLat, maxLon: wrap(Math.max(...lons)), maxLat };
}

export function inRing(point: LatLon, ring: readonly LatLon[]): boolean {
  const shift = crosses(ring) ? unwrap : (lon: number) => lon;
  return isPointInPolygon(
    { lat: point.lat, lon: shift(point.lon) },
    ring.map((p) => ({ lat: p.lat, lon: shift(p.lon) })),
  );
}
