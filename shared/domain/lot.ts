// A parking lot as staff define it and as drivers see it (README "API summary"). Pure but for the
// opening-hours evaluator's time-zone switch (./opening-hours). What depends on the hours takes the
// loaded evaluator (`await loadOpeningHours()`) as a parameter: the evaluator is imported on demand.
import type { HoursEvaluator } from './opening-hours';

export const LOT_TYPES = ['garage', 'surface', 'underground', 'on_street', 'park_and_ride'] as const;
export type LotType = (typeof LOT_TYPES)[number];
export const LOT_FEATURES = ['ev', 'accessible', 'covered', '24h', 'bicycle'] as const;
export type LotFeature = (typeof LOT_FEATURES)[number];
export const DEFAULT_STALE_AFTER_SECONDS = 3600;

export type LotStatus = 'available' | 'full' | 'stale' | 'nodata' | 'closed';
export type DataFlag = 'over_capacity' | 'negative_count';

/** What staff define with PUT /v1/lots/{id}. */
export interface LotDefinition {
  id: string;
  name: string;
  location: { lat: number; lon: number };
  capacity: number;
  type: LotType;
  features: LotFeature[];
  zone?: string | undefined;
  timeZone: string;
  staleAfterSeconds: number;
  openingHours?: string | undefined;
  closed: boolean;
}

/** The lot's current state, as decided by its observations. */
export interface LotState {
  /** Raw occupancy (may be out of [0, capacity]); null before the first observation. */
  occupied: number | null;
  /** Epoch ms of the newest observation applied; null when never observed. */
  lastAt: number | null;
}

export type Lot = LotDefinition & LotState;

/** The driver's view of a lot (README "API summary"), without `distance`. */
export interface LotView {
  id: string;
  name: string;
  location: { lat: number; lon: number };
  capacity: number;
  occupied: number | null;
  free: number | null;
  occupancy: number | null;
  status: LotStatus;
  observedAt: string | null;
  dataAge: number | null;
  type: LotType;
  features: LotFeature[];
  zone: string | null;
  timeZone: string;
  staleAfterSeconds: number;
  openingHours: string | null;
  /** Closed by its opening hours: the next instant it opens (within 7 days), else null. */
  opensAt: string | null;
  /** Open by its opening hours: the instant it closes, if within 24 hours, else null. */
  closesAt: string | null;
  flags: DataFlag[];
}

export function dataFlags(occupied: number | null, capacity: number): DataFlag[] {
  if (occupied === null) return [];
  if (occupied > capacity) return ['over_capacity'];
  if (occupied < 0) return ['negative_count'];
  return [];
}

/** Staff closed it, or its opening hours say closed at `now` (README "Opening hours"). */
export function lotStatus(lot: Lot, now: number, hours: HoursEvaluator): LotStatus {
  if (lot.closed || !hours.isOpenAt(lot, now)) return 'closed';
  return dataStatus(lot, now);
}

function dataStatus(lot: Lot, now: number): Exclude<LotStatus, 'closed'> {
  if (lot.lastAt === null || lot.occupied === null) return 'nodata';
  if (now - lot.lastAt > lot.staleAfterSeconds * 1000) return 'stale';
  return clampOccupied(lot.occupied, lot.capacity) >= lot.capacity ? 'full' : 'available';
}

/** Drivers see occupancy clamped to [0, capacity]; raw values stay in history and flags. */
export function clampOccupied(occupied: number, capacity: number): number {
  return Math.min(Math.max(occupied, 0), capacity);
}

/** Free spaces a driver can count on; null when nothing is known. */
export function freeSpaces(lot: Lot): number | null {
  if (lot.occupied === null) return null;
  return lot.capacity - clampOccupied(lot.occupied, lot.capacity);
}

export function toLotView(lot: Lot, now: number, evaluator: HoursEvaluator): LotView {
  const occupied = lot.occupied === null ? null : clampOccupied(lot.occupied, lot.capacity);
  const free = freeSpaces(lot);
  const hours = evaluator.state(lot, now);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: lot.id,
    name: lot.name,
    location: lot.location,
    capacity: lot.capacity,
    occupied,
    free,
    occupancy: occupied === null ? null : lot.capacity === 0 ? 1 : occupied / lot.capacity,
    status: lot.closed || !hours.open ? 'closed' : dataStatus(lot, now),
    observedAt: lot.lastAt === null ? null : new Date(lot.lastAt).toISOString(),
    dataAge: lot.lastAt === null ? null : Math.max(0, Math.round((now - lot.lastAt) / 1000)),
    type: lot.type,
    features: lot.features,
    zone: lot.zone ?? null,
    timeZone: lot.timeZone,
    staleAfterSeconds: lot.staleAfterSeconds,
    openingHours: lot.openingHours ?? null,
    // A lot staff closed opens when staff say so, not by its hours.
    opensAt: lot.closed ? null : iso(hours.opensAt),
    closesAt: lot.closed ? null : iso(hours.closesAt),
    flags: dataFlags(lot.occupied, lot.capacity),
  };
}

/**
 * Nearby's filter (README "API summary"): open, fresh (unless includeStale), enough free, all
 * features. Open by its hours at `openAt` (default now): with `arriveAt`, at the driver's arrival.
 */
export function matchesNearby(
  lot: Lot,
  now: number,
  query: { minFree: number; features: readonly LotFeature[]; includeStale: boolean; openAt?: number },
  hours: HoursEvaluator,
): boolean {
  if (lot.closed) return false;
  const status = dataStatus(lot, now);
  if (status === 'nodata') return false;
  if (status === 'stale' && !query.includeStale) return false;
  if ((freeSpaces(lot) ?? 0) < query.minFree) return false;
  if (!query.features.every((f) => lot.features.includes(f))) return false;
  // Last: the cheap tests leave out most lots a wide search reads before the hours are evaluated.
  return hours.isOpenAt(lot, query.openAt ?? now);
}

/**
 * Ids a lot cannot have: `GET /v1/lots/nearby` is the nearby search, so a lot called `nearby`
 * could be written but never read back.
 */
export const RESERVED_LOT_IDS: readonly string[] = ['nearby'];
