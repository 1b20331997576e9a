// City staff define lots (README "API summary"); drivers read them.
import { getDistance } from 'geolib';
import { EMPTY_FOLD } from '../domain/ingest';
import { freeSpaces, type Lot, type LotDefinition, type LotView, lotStatus, toLotView } from '../domain/lot';
import { type HoursEvaluator, loadOpeningHours } from '../domain/opening-hours';
import { Pacer } from '../domain/pacer';
import type { StoredLot } from '../domain/stored-lot';
import { boxHoldsPoint, clusterPrecision } from '../geo/box-cells';
import { geohashEncode } from '../geo/geohash';
import { NotFoundError } from './errors';
import type { Bbox, Cluster, ClusterLot, ClusterStats, Dependencies } from './ports';

export type LotInput = Omit<LotDefinition, 'id' | 'closed'>;
export type LotPatch = Partial<Omit<LotDefinition, 'id' | 'zone' | 'openingHours'>> & {
  zone?: string | null;
  openingHours?: string | null;
};

/**
 * Coordinates are kept to 9 decimal places (about 0.1 mm). DynamoDB cannot store a number whose
 * magnitude is below 1e-130, so an in-range latitude such as 1e-200 must not reach it raw.
 */
export function storableLocation(p: { lat: number; lon: number }): { lat: number; lon: number } {
  const round = (x: number) => Math.round(x * 1e9) / 1e9 || 0; // `|| 0`: no -0
  return { lat: round(p.lat), lon: round(p.lon) };
}

/** Creates or replaces a lot's definition; its occupancy, history and closed flag stay. */
export async function putLot(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  id: string,
  given: LotInput,
): Promise<{ created: boolean; lot: LotView }> {
  const now = deps.now();
  const input = { ...given, location: storableLocation(given.location) };
  const hours = await loadOpeningHours();
  return deps.lots.update(id, async (current) => {
    const lot: StoredLot = current
      ? withRollupsInvalidated(current, {
          ...current,
          ...input,
          id,
          zone: input.zone,
          openingHours: input.openingHours,
          updatedAt: now,
        })
      : {
          ...input,
          id,
          closed: false,
          ...EMPTY_FOLD,
          rollupFrom: null,
          rollupSeq: 0,
          generation: '', // the store gives each lot it creates a fresh one
          version: 0,
          pending: {},
          createdAt: now,
          updatedAt: now,
        };
    return { lot, result: { created: current === null, lot: toLotView(lot, now, hours) } };
  });
}

export async function patchLot(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  id: string,
  given: LotPatch,
): Promise<LotView> {
  const now = deps.now();
  const patch = given.location ? { ...given, location: storableLocation(given.location) } : given;
  const hours = await loadOpeningHours();
  return deps.lots.update(id, async (current) => {
    if (current === null) throw new NotFoundError(`lot ${id} does not exist`);
    const merged: StoredLot = { ...current, updatedAt: now };
    for (const [field, value] of Object.entries(patch) as [keyof LotPatch, unknown][]) {
      // null clears an optional field; undefined leaves it alone.
      (merged as unknown as Record<string, unknown>)[field] = value === null ? undefined : value;
    }
    const next = withRollupsInvalidated(current, merged);
    return { lot: next, result: toLotView(next, now, hours) };
  });
}

/** Capacity and staleness shape every rollup figure: when they change, rebuild them all. */
function withRollupsInvalidated(before: StoredLot, after: StoredLot): StoredLot {
  if (before.capacity === after.capacity && before.staleAfterSeconds === after.staleAfterSeconds)
    return after;
  if (before.lastAt === null) return after;
  return { ...after, rollupFrom: 0, rollupSeq: before.rollupSeq + 1 };
}

/**
 * Deletes a lot. Everything keyed by it (history, bays, rollups, duplicate records) is fenced off
 * with it: a lot created later under the same id starts empty, and sensor keys made for this one
 * stop writing (README "Keys and authentication").
 */
export async function deleteLot(deps: Pick<Dependencies, 'lots' | 'now'>, id: string): Promise<void> {
  if (!(await deps.lots.delete(id, deps.now()))) throw new NotFoundError(`lot ${id} does not exist`);
}

/** Items of deleted lots removed per run of the scheduled job (the rest wait for the next run). */
export const PURGE_ITEMS_PER_RUN = 2000;

/** Scheduled: reclaims the bays and rollups of deleted lots, a bounded amount per run. */
export function purgeDeletedLots(deps: Pick<Dependencies, 'lots' | 'now'>) {
  return deps.lots.purgeRetired({ now: deps.now(), maxItems: PURGE_ITEMS_PER_RUN });
}

export async function getLot(deps: Pick<Dependencies, 'lots' | 'now'>, id: string): Promise<LotView> {
  const [lot, hours] = await Promise.all([deps.lots.get(id), loadOpeningHours()]);
  if (lot === null) throw new NotFoundError(`lot ${id} does not exist`);
  return toLotView(lot, deps.now(), hours);
}

/** Largest box listed lot by lot: its circumscribed circle must fit the nearby radius cap. */
export const MAX_BBOX_RADIUS_METRES = 50_000;

/** Clusters in one answer at most (README "Boxes of any size"). */
export const MAX_CLUSTERS = 256;

export interface BoxAnswer {
  lots: LotView[];
  /** Present when the box holds more lots than `limit`, or is too large to list lot by lot. */
  clusters?: Cluster[];
  /** When the clusters' figures were computed (epoch ms): now for a listed box, the last aggregate build for a large one. */
  clustersAsOf?: number | null;
  stats: ClusterStats;
}

/**
 * Lots inside a box, any status, nearest the box centre first (README "API summary"); a box with
 * more lots than `limit` also gets clusters of the lots read, and a box too large to list lot by
 * lot gets clusters from the coarse-cell aggregates only, whose `lots` add up to every lot in it.
 */
export async function lotsInBox(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  box: Bbox,
  limit: number,
): Promise<BoxAnswer> {
  const stats: ClusterStats = { requests: 0, itemsRead: 0 };
  const crosses = box.minLon > box.maxLon;
  const width = crosses ? box.maxLon + 360 - box.minLon : box.maxLon - box.minLon;
  let centerLon = box.minLon + width / 2;
  if (centerLon > 180) centerLon -= 360;
  const center = { lat: (box.minLat + box.maxLat) / 2, lon: centerLon };
  const corners = [
    { lat: box.minLat, lon: box.minLon },
    { lat: box.minLat, lon: box.maxLon },
    { lat: box.maxLat, lon: box.minLon },
    { lat: box.maxLat, lon: box.maxLon },
  ];
  const radius = Math.max(...corners.map((c) => getDistance(center, c))) + 1;
  if (radius > MAX_BBOX_RADIUS_METRES) {
    const precision = clusterPrecision(box, MAX_CLUSTERS, FINEST_AGGREGATE_PRECISION);
    const answer = await deps.lots.clustersInBox(box, precision, stats);
    return { lots: [], clusters: answer.clusters, clustersAsOf: answer.asOf, stats };
  }
  const now = deps.now();
  const hours = await loadOpeningHours();
  const lots = (await deps.lots.inCircle(center, radius)).filter((l) =>
    boxHoldsPoint(box, l.location.lat, l.location.lon),
  );
  lots.sort(
    (a, b) => getDistance(center, a.location) - getDistance(center, b.location) || (a.id < b.id ? -1 : 1),
  );
  const listed = lots.slice(0, limit).map((lot) => toLotView(lot, now, hours));
  if (lots.length <= limit) return { lots: listed, stats };
  const precision = clusterPrecision(box, MAX_CLUSTERS, 12);
  return {
    lots: listed,
    clusters: clusterLots(
      lots.map((lot) => clusterLot(lot, now, hours)),
      precision,
    ),
    clustersAsOf: now,
    stats,
  };
}

/** Finest precision of the stored aggregates (geohash-5, ~5 km). */
const FINEST_AGGREGATE_PRECISION = 5;

/** A lot as clusters count it: free spaces only where a driver could count on them now. */
export function clusterLot(lot: Lot, now: number, hours: HoursEvaluator): ClusterLot {
  const status = lotStatus(lot, now, hours);
  const free = status === 'available' || status === 'full' ? (freeSpaces(lot) ?? 0) : 0;
  return { lat: lot.location.lat, lon: lot.location.lon, capacity: lot.capacity, free };
}

/** Groups lots by geohash cell of `precision`; each cluster at its lots' centroid. */
export function clusterLots(lots: readonly ClusterLot[], precision: number): Cluster[] {
  const cells = new Map<string, Cluster & { sumLat: number; sumLon: number }>();
  for (const lot of lots) {
    const key = geohashEncode(lot.lat, lot.lon, precision);
    let c = cells.get(key);
    if (!c) {
      c = {
        location: { lat: 0, lon: 0 },
        lots: 0,
        capacity: 0,
        free: 0,
        bbox: [180, 90, -180, -90],
        sumLat: 0,
        sumLon: 0,
      };
      cells.set(key, c);
    }
    c.lots++;
    c.capacity += lot.capacity;
    c.free += lot.free;
    c.sumLat += lot.lat;
    c.sumLon += lot.lon;
    c.bbox = [
      Math.min(c.bbox[0], lot.lon),
      Math.min(c.bbox[1], lot.lat),
      Math.max(c.bbox[2], lot.lon),
      Math.max(c.bbox[3], lot.lat),
    ];
  }
  return [...cells.values()].map(({ sumLat, sumLon, ...c }) => ({
    ...c,
    location: { lat: sumLat / c.lots, lon: sumLon / c.lots },
  }));
}

/** Scheduled: rebuilds the coarse-cell aggregates that large boxes are answered from. */
export async function refreshClusters(deps: Pick<Dependencies, 'lots' | 'now'>) {
  const now = deps.now();
  const [lots, hours] = await Promise.all([deps.lots.list(), loadOpeningHours()]);
  async function* pages() {
    const pacer = new Pacer();
    for (let i = 0; i < lots.length; i += 1000) {
      await pacer.tick();
      yield lots.slice(i, i + 1000).map((lot) => clusterLot(lot, now, hours));
    }
  }
  return deps.lots.rebuildClusters(pages(), now);
}
