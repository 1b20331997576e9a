// Driver: "the nearest lots with a free space within R metres" (README "API summary").
// 1. Search outward through the geo index until `limit` acceptable lots are certain.
// 2. Rank by exact great-circle distance, then more free spaces, then id.
// With `arriveAt` (README "Forecasts"), `minFree` applies to the free spaces predicted for then:
// the search looks for the nearest lots that pass every other filter, their stored forecast models
// are read in one batch, and if too few of them are predicted to have room the search is run again
// for twice as many, up to MAX_PREDICTED_LOTS lots.
import { forecastFromModel, MAX_ARRIVE_AHEAD_MS, PAST_AS_OF_TOLERANCE_MS } from '../domain/forecast';
import { freeSpaces, type Lot, type LotFeature, type LotView, matchesNearby, toLotView } from '../domain/lot';
import { type HoursEvaluator, loadOpeningHours } from '../domain/opening-hours';
import { type LatLon, rankNearby } from '../geo';
import { InvalidInputError } from './errors';
import type { Dependencies, SearchStats } from './ports';

export interface NearbyQuery {
  center: LatLon;
  radius: number;
  limit: number;
  minFree: number;
  features: LotFeature[];
  includeStale: boolean;
  /** Epoch ms, from now to now + 24 h (the schema's bounds); predictions are made for it. */
  arriveAt?: number | undefined;
}

export interface Prediction {
  at: number;
  occupied: number;
  free: number;
  low: number;
  high: number;
}

/**
 * The most lots whose forecasts one nearby request reads (README "Limits"): a query whose nearest
 * this many lots are all predicted to have fewer than minFree spaces answers the ones found.
 */
export const MAX_PREDICTED_LOTS = 800;

export type NearbyLot = LotView & { distance: number; prediction?: Prediction | null };

export interface NearbyAnswer {
  asOf: number;
  lots: NearbyLot[];
  stats: SearchStats & { searches: number; modelsRead: number };
}

/** Without `forecasts` (benchmarks of the search alone), predictions are persistence. */
type Deps = Pick<Dependencies, 'lots' | 'now'> & Partial<Pick<Dependencies, 'forecasts'>>;

export async function findNearby(deps: Deps, query: NearbyQuery): Promise<NearbyAnswer> {
  const now = deps.now();
  // Before the search: its filter evaluates hours as it reads (README "Opening hours").
  const hours = await loadOpeningHours();
  if (query.arriveAt !== undefined) {
    // A few minutes back is a client's clock or a page's "now", read as now.
    if (query.arriveAt < now - PAST_AS_OF_TOLERANCE_MS || query.arriveAt > now + MAX_ARRIVE_AHEAD_MS) {
      throw new InvalidInputError('arriveAt out of range', [
        { path: 'arriveAt', message: 'must be from now to 24 hours ahead' },
      ]);
    }
    return findNearbyOnArrival(deps, query, query.arriveAt, now, hours);
  }
  const accept = (lot: Parameters<typeof matchesNearby>[0]) => matchesNearby(lot, now, query, hours);
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
    lots: ranked.map((lot) => ({ ...toLotView(lot, now, hours), distance: lot.distance })),
    stats: { ...stats, searches: 1, modelsRead: 0 },
  };
}

/** The forecast for `arriveAt` from the lot's stored model and live state; null with no observation. */
function predict(
  lot: Lot,
  model: Parameters<typeof forecastFromModel>[0]['model'],
  now: number,
  arriveAt: number,
) {
  if (lot.lastAt === null || lot.occupied === null) return null;
  const minutes = Math.max(0, arriveAt - now) / 60_000;
  const point = forecastFromModel({
    model,
    last: { at: lot.lastAt, occupied: lot.occupied },
    capacity: lot.capacity,
    asOf: now,
    horizons: [minutes],
  }).points[0]!;
  if (point.occupied === null) return null;
  return { at: arriveAt, occupied: point.occupied, free: point.free!, low: point.low!, high: point.high! };
}

async function findNearbyOnArrival(
  deps: Deps,
  query: NearbyQuery,
  arriveAt: number,
  now: number,
  hours: HoursEvaluator,
): Promise<NearbyAnswer> {
  // Staleness and features as live; open by its hours at arrival (README "Opening hours"); free
  // spaces as predicted (below).
  const base = (lot: Lot) => matchesNearby(lot, now, { ...query, minFree: 0, openAt: arriveAt }, hours);
  const predictions = new Map<string, Prediction | null>();
  const roomOnArrival = (lot: Lot) => {
    const p = predictions.get(lot.id);
    return (p ? p.free : (freeSpaces(lot) ?? 0)) >= query.minFree;
  };
  const total = { searches: 0, modelsRead: 0 } as NearbyAnswer['stats'];
  let wanted = query.limit;
  for (;;) {
    const { candidates, stats } = await deps.lots.nearby({
      center: query.center,
      radius: query.radius,
      limit: wanted,
      accept: base,
    });
    addStats(total, stats);
    // The nearest `wanted` lots that pass the other filters are certain within radiusSearched: if
    // `limit` of them have room on arrival, they are the answer.
    const nearest = rankNearby(
      query.center,
      candidates.map((lot) => ({ ...lot, free: freeSpaces(lot) ?? 0 })),
      { radius: stats.radiusSearched, limit: wanted, filter: base },
    );
    const unknown = nearest.filter((lot) => !predictions.has(lot.id));
    const withData = unknown.filter((lot) => lot.lastAt !== null).map((lot) => lot.id);
    const readUnits = { readUnits: 0 };
    const models =
      withData.length && deps.forecasts ? await deps.forecasts.getMany(withData, readUnits) : new Map();
    total.readUnits += readUnits.readUnits;
    total.requests += withData.length ? Math.ceil(withData.length / 100) : 0;
    total.modelsRead += withData.length;
    for (const lot of unknown)
      predictions.set(lot.id, predict(lot, models.get(lot.id) ?? null, now, arriveAt));
    const fits = nearest.filter(roomOnArrival);
    const searchedAll = nearest.length < wanted || stats.radiusSearched >= query.radius;
    if (fits.length >= query.limit || searchedAll || wanted >= MAX_PREDICTED_LOTS) {
      const ranked = rankNearby(
        query.center,
        fits.map((lot) => ({ ...lot, free: predictions.get(lot.id)?.free ?? lot.free })),
        { radius: query.radius, limit: query.limit },
      );
      return {
        asOf: now,
        lots: ranked.map((lot) => ({
          ...toLotView(lot, now, hours),
          distance: lot.distance,
          prediction: predictions.get(lot.id) ?? null,
        })),
        stats: total,
      };
    }
    wanted = Math.min(MAX_PREDICTED_LOTS, Math.max(2 * wanted, query.limit + nearest.length - fits.length));
  }
}

function addStats(into: NearbyAnswer['stats'], s: SearchStats) {
  into.searches++;
  into.requests = (into.requests ?? 0) + s.requests;
  into.itemsRead = (into.itemsRead ?? 0) + s.itemsRead;
  into.readUnits = (into.readUnits ?? 0) + s.readUnits;
  into.rounds = (into.rounds ?? 0) + s.rounds;
  into.radiusSearched = Math.max(into.radiusSearched ?? 0, s.radiusSearched);
  into.directoryRequests = (into.directoryRequests ?? 0) + s.directoryRequests;
  into.cellsRead = (into.cellsRead ?? 0) + s.cellsRead;
  into.densityRequests = (into.densityRequests ?? 0) + s.densityRequests;
}
