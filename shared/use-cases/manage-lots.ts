// City staff define lots (README "API summary"); drivers read them.
import { getDistance } from 'geolib';
import { EMPTY_FOLD } from '../domain/ingest';
import { type LotDefinition, type LotView, toLotView } from '../domain/lot';
import type { StoredLot } from '../domain/stored-lot';
import { NotFoundError } from './errors';
import type { Dependencies } from './ports';

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
    return { lot, result: { created: current === null, lot: toLotView(lot, now) } };
  });
}

export async function patchLot(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  id: string,
  given: LotPatch,
): Promise<LotView> {
  const now = deps.now();
  const patch = given.location ? { ...given, location: storableLocation(given.location) } : given;
  return deps.lots.update(id, async (current) => {
    if (current === null) throw new NotFoundError(`lot ${id} does not exist`);
    const merged: StoredLot = { ...current, updatedAt: now };
    for (const [field, value] of Object.entries(patch) as [keyof LotPatch, unknown][]) {
      // null clears an optional field; undefined leaves it alone.
      (merged as unknown as Record<string, unknown>)[field] = value === null ? undefined : value;
    }
    const next = withRollupsInvalidated(current, merged);
    return { lot: next, result: toLotView(next, now) };
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
  const lot = await deps.lots.get(id);
  if (lot === null) throw new NotFoundError(`lot ${id} does not exist`);
  return toLotView(lot, deps.now());
}

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Largest box a listing may cover: its circumscribed circle must fit the nearby radius cap. */
export const MAX_BBOX_RADIUS_METRES = 50_000;

export class BboxTooLargeError extends Error {
  override name = 'BboxTooLargeError';
}

/** Lots inside a box, any status, nearest the box centre first (README "API summary"). */
export async function lotsInBox(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  box: Bbox,
  limit: number,
): Promise<LotView[]> {
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
    throw new BboxTooLargeError(
      `bbox is too large: at most ${MAX_BBOX_RADIUS_METRES / 1000} km from its centre`,
    );
  }
  const inside = (lat: number, lon: number) =>
    lat >= box.minLat &&
    lat <= box.maxLat &&
    (crosses ? lon >= box.minLon || lon <= box.maxLon : lon >= box.minLon && lon <= box.maxLon);
  const now = deps.now();
  const lots = (await deps.lots.inCircle(center, radius)).filter((l) =>
    inside(l.location.lat, l.location.lon),
  );
  lots.sort(
    (a, b) => getDistance(center, a.location) - getDistance(center, b.location) || (a.id < b.id ? -1 : 1),
  );
  return lots.slice(0, limit).map((lot) => toLotView(lot, now));
}
