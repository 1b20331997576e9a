// The nearby search's brute-force oracle: every lot, filtered and sorted by the contract's rules,
// with geolib's distance (a different implementation from the search's own).
import { getDistance } from 'geolib';
import { freeSpaces, matchesNearby } from '../../shared/domain/lot';
import { loadOpeningHours } from '../../shared/domain/opening-hours';
import type { StoredLot } from '../../shared/domain/stored-lot';
import type { LatLon } from '../../shared/geo';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

export function nearbyOracle(
  lots: Iterable<StoredLot>,
  q: { center: LatLon; radius: number; limit: number; minFree: number },
  now: number,
): string[] {
  return [...lots]
    .map((lot) => ({ lot, distance: getDistance(q.center, lot.location) }))
    .filter(
      ({ lot, distance }) =>
        distance <= q.radius &&
        matchesNearby(lot, now, { minFree: q.minFree, features: [], includeStale: false }, hours),
    )
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        (freeSpaces(b.lot) ?? 0) - (freeSpaces(a.lot) ?? 0) ||
        (a.lot.id < b.lot.id ? -1 : a.lot.id > b.lot.id ? 1 : 0),
    )
    .slice(0, q.limit)
    .map((w) => w.lot.id);
}
