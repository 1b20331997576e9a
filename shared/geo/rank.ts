// Ranking candidates read from the cells: exact distance, then policy (radius, filter, limit).
import { uncheckedMetresBetween } from './distance';
import { assertLatLon, type LatLon } from './latlon';

export interface Rankable {
  id: string;
  location: LatLon;
  free: number;
}

export interface RankOptions<T> {
  /** Keep lots with metresBetween(center, lot) <= radius. */
  radius: number;
  /** At most this many lots are returned. */
  limit: number;
  /** Keep only lots for which this returns true (status, free spaces, features, ...). */
  filter?: (lot: T) => boolean;
}

/**
 * Lots within `radius` of `center` that pass `filter`, nearest first; ties by more free spaces,
 * then by id (code-unit order, not locale), so the order is total and repeatable.
 */
export function rankNearby<T extends Rankable>(
  center: LatLon,
  lots: Iterable<T>,
  options: RankOptions<T>,
): Array<T & { distance: number }> {
  assertLatLon(center, 'rankNearby: center');
  const { radius, limit, filter } = options;
  if (typeof radius !== 'number' || !(radius > 0) || !Number.isFinite(radius)) {
    throw new RangeError(`rankNearby: radius must be a finite number > 0 metres, got ${String(radius)}`);
  }
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`rankNearby: limit must be an integer >= 0, got ${String(limit)}`);
  }
  const kept: Array<T & { distance: number }> = [];
  for (const lot of lots) {
    const location = lot.location;
    assertLatLon(location, `rankNearby: lot ${lot.id} location`);
    const distance = uncheckedMetresBetween(center, location);
    if (distance > radius || (filter !== undefined && !filter(lot))) continue;
    if (typeof lot.free !== 'number' || Number.isNaN(lot.free)) {
      throw new RangeError(`rankNearby: lot ${lot.id} free must be a number, got ${String(lot.free)}`);
    }
    kept.push({ ...lot, distance });
  }
  kept.sort(compareRanked);
  return kept.length > limit ? kept.slice(0, limit) : kept;
}

function compareRanked(a: Rankable & { distance: number }, b: Rankable & { distance: number }): number {
  return a.distance - b.distance || b.free - a.free || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
