// What the use cases need from the outside world, as small structural types. The DynamoDB
// adapters in shared/store satisfy them; use cases never import @aws-sdk.

import type { ObservationKey } from '../domain/ingest';
import type { Lot } from '../domain/lot';
import type { Observation, OccupancyStep } from '../domain/observation';
import type { LatLon } from '../geo';
import type { ApiKey, AuthenticatedKey, NewKey } from '../store/api-keys';
import type { LotIncarnation } from '../store/keys';
import type { StoredLot } from '../store/lot-item';
import type { NearbyResult, NearbySearch, PurgeReport } from '../store/lots';
import type { IngestOptions, IngestOutcome, REPLACED, StoredObservation } from '../store/observations';
import type { DayRollup, ReadStats } from '../store/rollups';

export interface LotsPort {
  get(id: string, consistent?: boolean): Promise<StoredLot | null>;
  update<R>(
    id: string,
    change: (current: StoredLot | null) => Promise<{ lot: StoredLot | null; result: R }>,
  ): Promise<R>;
  /** Deletes the lot; its data scope is retired with it (README "Table design"). */
  delete(id: string, now: number): Promise<boolean>;
  purgeRetired(options: { now: number; maxItems: number }): Promise<PurgeReport>;
  nearby(search: NearbySearch): Promise<NearbyResult>;
  inCircle(center: LatLon, radius: number): Promise<Lot[]>;
  list(zone?: string): Promise<StoredLot[]>;
  getMany(ids: readonly string[]): Promise<StoredLot[]>;
  /** Upkeep of the directory of non-empty cells (README "Nearby query"). */
  fillCellDirectory(now: () => number): Promise<'complete' | 'filling' | 'absent'>;
  pruneCellDirectory(now: number): Promise<{ checked: number; pruned: number }>;
}

export interface ObservationsPort {
  ingest(
    lotId: string,
    batch: readonly Observation[],
    options: IngestOptions,
  ): Promise<Map<string, IngestOutcome> | null | typeof REPLACED>;
  list(
    lot: LotIncarnation,
    from: number,
    to: number,
    page: { limit: number; after?: ObservationKey },
  ): Promise<{ observations: StoredObservation[]; next?: ObservationKey }>;
}

export interface KeysPort {
  authenticate(secret: string): Promise<AuthenticatedKey | null>;
  create(input: NewKey, now: number): Promise<ApiKey & { secret: string }>;
  list(): Promise<ApiKey[]>;
  revoke(keyId: string, now: number): Promise<boolean>;
}

export interface RollupsPort {
  ensureFresh(lot: StoredLot, stats: ReadStats): Promise<void>;
  read(
    lot: LotIncarnation,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
  ): Promise<Map<string, DayRollup>>;
  stepsBetween(lot: LotIncarnation, from: number, to: number, stats: ReadStats): Promise<OccupancyStep[]>;
}

/** Operational metrics (CloudWatch EMF on Lambda; nothing locally). */
export type MetricName =
  | 'ObservationsApplied'
  | 'ObservationsDuplicate'
  | 'ObservationsStale'
  | 'BatchesRejected'
  | 'NearbyLatency'
  | 'StaleLots'
  | 'RollupsRebuilt';

export interface MetricsPort {
  count(name: MetricName, value: number): void;
  milliseconds(name: MetricName, ms: number): void;
}

export const NO_METRICS: MetricsPort = { count: () => {}, milliseconds: () => {} };

export interface Dependencies {
  rollups: RollupsPort;
  metrics: MetricsPort;
  lots: LotsPort;
  observations: ObservationsPort;
  keys: KeysPort;
  /** Epoch milliseconds; injected so tests control time. */
  now: () => number;
  /** Resolves true when the store answers. */
  storeHealthy: () => Promise<boolean>;
  historyRetentionDays: number;
}
