// Driver: "the nearest lots with a free space within R metres" (README "API summary").
// 1. Search outward through the geo index until `limit` acceptable lots are certain.
// 2. Rank by exact great-circle distance, then more free spaces, then id.
import { freeSpaces, type LotFeature, type LotView, matchesNearby, toLotView } from '../domain/lot';
import { type LatLon, rankNearby } from '../geo';
import type { Dependencies, SearchStats } from './ports';

export interface NearbyQuery {
  center: LatLon;
  radius: number;
  limit: number;
  minFree: number;
  features: LotFeature[];
  includeStale: boolean;
}

export async function findNearby(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  query: NearbyQuery,
): Promise<{ asOf: number; lots: Array<LotView & { distance: number }>; stats: SearchStats }> {
  const now = deps.now();
  const accept = (lot: Parameters<typeof matchesNearby>[0]) => matchesNearby(lot, now, query);
  const { candidates, stats } = await deps.lots.nearby({
    center: query.center,
    radius: query.radius,
    limit: query.limit,
    accept,
  });
  const ranked = rankNearby(
    query.center,
    candidates.map((lot) => ({ ...lot, free: freeSpaces(lot) ?? 0 })),
    { radius: stats.radiusSearched, limit: query.limit, filter: accept },
  );
  return {
    asOf: now,
    lots: ranked.map((lot) => ({ ...toLotView(lot, now), distance: lot.distance })),
    stats,
  };
}
