// The dashboard's zoomed-out view (README "Boxes of any size"): a box too large to list lot by lot
// answers clusters, which the map draws as circles sized by their lots and the tiles add up. Pure:
// no DOM, so that the sums and sizes can be unit-tested.
import type { LotList } from './api-types';

export type Cluster = NonNullable<LotList['clusters']>[number];

export interface ClusterTotals {
  lots: number;
  capacity: number;
  free: number;
}

/** The box's totals from its clusters (their `lots` add up to every lot in the box). */
export function clusterTotals(clusters: readonly Cluster[]): ClusterTotals {
  let lots = 0;
  let capacity = 0;
  let free = 0;
  for (const c of clusters) {
    lots += c.lots;
    capacity += c.capacity;
    free += c.free;
  }
  return { lots, capacity, free };
}

/**
 * A cluster circle's radius in the map's pixels: its area grows with its lots (radius with the
 * square root), from 8 (room for a one-digit label) to 30 for the largest cluster shown.
 */
export function clusterRadius(lots: number, maxLots: number): number {
  if (maxLots <= 0) return 8;
  return 8 + 22 * Math.sqrt(Math.max(0, Math.min(lots, maxLots)) / maxLots);
}
