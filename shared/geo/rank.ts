// Ranking: exact distance filter, then distance, more free spaces, id (CONTRACT §2).
import { type LatLon, metresBetween } from './distance';

export interface Rankable {
  id: string;
  location: LatLon;
  free: number;
}

export interface RankOptions<T> {
  radius: number;
  limit: number;
  filter?: (lot: T) => boolean;
}

export function rankNearby<T extends Rankable>(
  center: LatLon,
  lots: Iterable<T>,
  options: RankOptions<T>,
): Array<T & { distance: number }> {
  const within: Array<T & { distance: number }> = [];
  for (const lot of lots) {
    if (options.filter && !options.filter(lot)) continue;
    const distance = metresBetween(center, lot.location); // computed once per lot
    if (distance <= options.radius) within.push({ ...lot, distance });
  }
  within.sort(
    (a, b) => a.distance - b.distance || b.free - a.free || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return within.slice(0, options.limit);
}
