// The distance within which a circle is expected to hold k lots, from a sample of lot positions
// (the coarse-cell aggregates' positions). Only an estimate that sizes a search's first circle:
// whatever it says, the search still reads every lot of the circle it then queries, so an error
// costs reads or a round, never a wrong answer.
import { EARTH_RADIUS_METRES } from './distance';
import type { LatLon } from './latlon';

const DEG = Math.PI / 180;

/**
 * Distance (metres) from `center` to the k-th nearest of `points` (flat lat, lon pairs), or
 * Infinity when there are fewer than k. Equirectangular about the centre, the longitude
 * difference wrapped across the antimeridian: within a few percent of great-circle distance
 * for the few kilometres it is used at, which the caller's margin absorbs.
 */
export function kthNearestMetres(center: LatLon, points: readonly Float64Array[], k: number): number {
  if (k < 1) return 0;
  const cosLat = Math.cos(center.lat * DEG);
  let count = 0;
  for (const p of points) count += p.length / 2;
  if (count < k) return Number.POSITIVE_INFINITY;
  const distances = new Float64Array(count);
  let i = 0;
  for (const p of points) {
    for (let j = 0; j < p.length; j += 2) {
      const dLat = (p[j]! - center.lat) * DEG;
      let dLon = p[j + 1]! - center.lon;
      if (dLon > 180) dLon -= 360;
      else if (dLon < -180) dLon += 360;
      const x = dLon * DEG * cosLat;
      distances[i++] = EARTH_RADIUS_METRES * Math.sqrt(dLat * dLat + x * x);
    }
  }
  distances.sort();
  return distances[k - 1]!;
}
