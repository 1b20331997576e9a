// Section "clusters" (README "Boxes of any size"): what a box too large to list lot by lot costs.
// N synthetic lots in ten British cities written to a fresh table, the coarse-cell aggregates
// rebuilt as the scheduled job does, then the whole of Great Britain, the whole world and a box
// whose edge runs through London read through lotsInBox (the route's use case): store requests,
// items read, clusters, and whether the clusters add up to every lot in the box (they must).
import { createDependencies } from '../../shared/dependencies';
import { lotsInBox, refreshClusters } from '../../shared/use-cases/manage-lots';
import type { Bbox } from '../../shared/use-cases/ports';
import { syntheticCity, writeLots } from '../../test/support/city';
import type { SectionOptions, StoreName } from '../types';
import { openBenchStore } from './lib/common';

export interface ClustersSettings {
  lots: number;
  store: StoreName;
}

export interface ClusterBoxRow {
  store: StoreName;
  lots: number;
  box: string;
  lotsInBox: number;
  clusters: number;
  /** Store requests of the box query (the state read, the range Queries, the edge refinement). */
  requests: number;
  itemsRead: number;
  ms: number;
  /** Time the job took to rebuild the aggregates of every lot. */
  rebuildSeconds: number;
}

const CITIES = [
  { lat: 51.5074, lon: -0.1278 },
  { lat: 52.4797, lon: -1.9026 },
  { lat: 53.4808, lon: -2.2426 },
  { lat: 53.8008, lon: -1.5491 },
  { lat: 55.8642, lon: -4.2518 },
  { lat: 55.9533, lon: -3.1883 },
  { lat: 51.4545, lon: -2.5879 },
  { lat: 54.9783, lon: -1.6178 },
  { lat: 50.3755, lon: -4.1427 },
  { lat: 52.6309, lon: 1.2974 },
];

export const CLUSTER_BOXES: Record<string, Bbox> = {
  'Great Britain': { minLon: -8.7, minLat: 49.8, maxLon: 1.8, maxLat: 60.9 },
  'whole world': { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 },
  'edge through London': { minLon: -0.1278, minLat: 49.8, maxLon: 1.8, maxLat: 53 },
};

export function clustersSettings(o: SectionOptions): ClustersSettings {
  return o.quick ? { lots: 2_000, store: 'dynalite' } : { lots: 100_000, store: 'dynalite' };
}

export async function benchClusters(
  o: SectionOptions,
  settings = clustersSettings(o),
): Promise<ClusterBoxRow[]> {
  const store = await openBenchStore(settings.store, o, 'clusters');
  try {
    const now = Date.now();
    const deps = createDependencies({ client: store.client, tableName: store.tableName, now: () => now });
    const lots = CITIES.flatMap((centre, i) =>
      syntheticCity({
        lots: Math.round(settings.lots / CITIES.length),
        seed: i + 1,
        centre,
        spread: 20_000,
        now,
      }),
    ).map((lot, i) => ({ ...lot, id: `gb-${i}` }));
    o.log(`clusters ${settings.store}: writing ${lots.length} lots`);
    await writeLots(store.client, store.tableName, lots);
    const rebuildStarted = performance.now();
    const built = await refreshClusters(deps);
    const rebuildSeconds = Math.round((performance.now() - rebuildStarted) / 100) / 10;
    o.log(`  aggregates rebuilt: ${built.cells} cell items for ${built.lots} lots in ${rebuildSeconds} s`);
    const rows: ClusterBoxRow[] = [];
    for (const [name, box] of Object.entries(CLUSTER_BOXES)) {
      const started = performance.now();
      const answer = await lotsInBox(deps, box, 500);
      const ms = Math.round(performance.now() - started);
      const counted = (answer.clusters ?? []).reduce((n, c) => n + c.lots, 0);
      const expected = lots.filter(
        (l) =>
          l.location.lat >= box.minLat &&
          l.location.lat <= box.maxLat &&
          l.location.lon >= box.minLon &&
          l.location.lon <= box.maxLon,
      ).length;
      if (counted !== expected)
        throw new Error(`${name}: clusters count ${counted} lots, the box holds ${expected}`);
      rows.push({
        store: settings.store,
        lots: lots.length,
        box: name,
        lotsInBox: expected,
        clusters: answer.clusters?.length ?? 0,
        requests: answer.stats.requests,
        itemsRead: answer.stats.itemsRead,
        ms,
        rebuildSeconds,
      });
    }
    return rows;
  } finally {
    await store.close();
  }
}
