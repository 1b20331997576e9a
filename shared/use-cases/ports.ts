// What the use cases need from the outside world, as small structural types, and the values
// that cross those ports. The DynamoDB adapters in shared/store implement them (`implements
// LotsPort` …); use cases and HTTP never import the store or @aws-sdk (README "Layering").

import type { FeedFormat } from '../domain/feeds/formats';
import type { ForecastModel } from '../domain/forecast';
import type { ObservationKey, Outcome } from '../domain/ingest';
import type { Network } from '../domain/lorawan';
import type { Lot } from '../domain/lot';
import type { LotIncarnation } from '../domain/lot-incarnation';
import type { BayState, Observation, OccupancyStep } from '../domain/observation';
import type { StoredLot } from '../domain/stored-lot';
import type { PackedSummary } from '../domain/utilization/summary';
import type { PackedPeak } from '../domain/utilization/zone-quarters';
import type { LatLon } from '../geo';

/** A box as the API takes it; minLon > maxLon crosses the antimeridian. */
/** Where a catalog listing stopped: a lot's zone ('' for none) and id. */
export interface CatalogPosition {
  zone: string;
  id: string;
}

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

// ── Keys ──

export type Role = 'sensor' | 'staff';

export interface ApiKey {
  keyId: string;
  role: Role;
  lots?: string[];
  label: string;
  createdAt: number;
  revokedAt?: number;
}

/** A key as authentication sees it: for a sensor key, also which incarnation of each lot it names. */
export interface AuthenticatedKey extends ApiKey {
  /**
   * Each listed lot's generation when the key was created (README "Keys and authentication"):
   * the key writes that incarnation only. Keys made before generations existed have none, which
   * names the lots written before then.
   */
  lotGenerations?: Record<string, string>;
}

export interface NewKey {
  role: Role;
  lots?: string[];
  label: string;
  lotGenerations?: Record<string, string>;
}

// ── LoRaWAN integrations ──

/** A network server that pushes uplinks to the service (README "Sensor networks"). */
export interface Integration {
  integrationId: string;
  network: Network;
  label: string;
  createdAt: number;
  /** Each creation of an integration id gets one, so its devices die with it (like a lot's). */
  generation: string;
}

/** Where a device's readings go: a bay of the lot when `spaceId` is given, else its count. */
export interface DeviceMapping {
  deviceId: string;
  lotId: string;
  spaceId?: string;
}

// ── Feed sources ──

/** A feed a city already publishes, fetched on a schedule (README "Feeds a city already has"). */
export interface SourceDefinition {
  sourceId: string;
  format: FeedFormat;
  url: string;
  intervalSeconds: number;
  lotIdPrefix: string;
  zone: string;
  timeZone: string;
  /** Sent with each fetch (an API token, an Accept or NGSI-LD-Tenant header). */
  headers?: Record<string, string>;
}

export interface SourceStatus {
  lastFetchAt: number | null;
  lastError: string | null;
  /** Sites read at the last successful fetch, and observations it applied. */
  sites: number;
  applied: number;
}

export type Source = SourceDefinition & SourceStatus;

export interface SourcesPort {
  /** Stores the definition; a new source starts with an empty status, a changed one keeps its own. */
  put(definition: SourceDefinition): Promise<{ source: Source; created: boolean }>;
  get(sourceId: string): Promise<Source | null>;
  list(): Promise<Source[]>;
  delete(sourceId: string): Promise<boolean>;
  /** Records a fetch's outcome; false when the source was deleted meanwhile (nothing written). */
  recordFetch(sourceId: string, status: SourceStatus): Promise<boolean>;
}

/** What fetching a URL gave: the body as text, or why there is none. */
export type FetchedFeed = { body: string } | { error: string };

/** Outbound HTTP for feeds, with the address rules of README "Feeds a city already has". */
export interface FeedFetcherPort {
  /** Why this URL may not be fetched (scheme, a non-public address), or null when it may. */
  refuse(url: string): Promise<string | null>;
  fetch(url: string, headers: Record<string, string>): Promise<FetchedFeed>;
}

// ── Lots and the nearby search ──

export interface NearbySearch {
  center: LatLon;
  radius: number;
  limit: number;
  /** Whether a lot can be in the answer (status, free spaces, features). */
  accept: (lot: Lot) => boolean;
  /** Search policy; the defaults were tuned with `npm run bench` (README "Benchmarks"). */
  policy?: Partial<SearchPolicy>;
}

export interface SearchPolicy {
  /** Radius of the first circle, metres (capped by the requested radius). */
  initialRadius: number;
  /** Ranges per round (one Query each); a ring also pays one per hole it goes round. */
  maxRangesPerRound: number;
  /** Margin on the density estimate when growing the circle. */
  growthMargin: number;
  /**
   * Later rounds read only the new ring (true), or the whole larger circle again (false): a ring
   * reads fewer items but costs a Query per hole it goes round.
   */
  readRingsOnly: boolean;
  /**
   * Size the first circle (and later ones) from the lot positions the coarse-cell aggregates keep
   * (false: start at `initialRadius` and grow by the density seen, as before the aggregates).
   */
  useDensity: boolean;
  /** Margin on the lots a circle sized from the aggregates is to hold (limit ÷ share accepted × this). */
  densityMargin: number;
  /** Ranges of the first round (one Query each), when sized from the aggregates. */
  firstRoundRanges: number;
  /**
   * Least growth of the second circle after a first one sized from the aggregates (later rounds
   * grow at least 1.4×): a first circle that just missed needs only a little more.
   */
  sizedMinGrowth: number;
  /**
   * Gaps between ranges smaller than this are read rather than split off, when the circles are
   * sized from the aggregates (coverCircle's `minGapSquareMetres`): they then hold about the
   * lots needed, so a bridged hectare is a large share of what is read.
   */
  sizedMinGapSquareMetres: number;
}

/** What a nearby search cost, for tests, metrics and benchmarks. */
export interface SearchStats extends DirectoryStats {
  /** Store requests of the search: geo-index Queries, directory Queries and the directory-state read. */
  requests: number;
  /** Lots read from the geo index (ScannedCount). */
  itemsRead: number;
  readUnits: number;
  /**
   * Sequential steps that waited on the store (requests sent together count once): what the
   * latency of a search is made of on DynamoDB.
   */
  rounds: number;
  radiusSearched: number;
  /** Reads of the coarse-cell aggregates that sized the circle (their state, their positions). */
  densityRequests: number;
}

export interface NearbyResult {
  /** Every lot read within `radiusSearched`, unranked; the caller ranks them. */
  candidates: Lot[];
  stats: SearchStats;
}

export interface PurgeReport {
  /** Retired scopes whose leftovers are all gone (their markers removed). */
  purged: number;
  itemsDeleted: number;
  /** Retired scopes still to finish in a later run. */
  remaining: number;
}

/** What reading the directory cost; the nearby search's stats extend this. */
export interface DirectoryStats {
  /** Every store request of the search (directory reads included). */
  requests: number;
  readUnits: number;
  /** Directory Queries (pages) and the cell items they returned. */
  directoryRequests: number;
  cellsRead: number;
}

// ── Clusters of large boxes ──

/** A lot as the cluster aggregates count it (README "Boxes of any size"). */
export interface ClusterLot {
  lat: number;
  lon: number;
  capacity: number;
  /** Free spaces drivers could count on when the aggregates were built (0 if closed, stale or no data). */
  free: number;
}

export interface Cluster {
  location: LatLon;
  lots: number;
  capacity: number;
  free: number;
  /** [minLon, minLat, maxLon, maxLat] of its lots. */
  bbox: [number, number, number, number];
}

export interface ClusterAnswer {
  clusters: Cluster[];
  /** When the aggregates were built (epoch ms); null before the first build. */
  asOf: number | null;
}

export interface ClusterStats {
  requests: number;
  itemsRead: number;
}

// ── Observations and rollups ──

export interface StoredObservation {
  observation: Observation;
  receivedAt: number;
}

export type IngestOutcome = Outcome | 'duplicate';

/** A bay's latest report (its state now, as far as its reports say). */
export interface BayReport {
  spaceId: string;
  state: BayState;
  observedAt: number;
}

/** The lot now under this id is another incarnation than the one the writer was allowed. */
export const REPLACED = 'replaced' as const;

export interface IngestOptions {
  now: number;
  /** How long history is kept (TTL), counted from arrival. */
  retentionDays: number;
  /**
   * Apply only to this incarnation of the lot (a sensor key's): otherwise nothing is written and
   * `REPLACED` is returned.
   */
  generation?: string;
  /** A pending event whose history item is still missing after this long is written by others. */
  repairAfterMs?: number;
}

export interface DayRollup {
  day: string;
  /** The 96 quarters' summaries, packed as stored (domain/utilization/summary.ts). */
  quarters: readonly PackedSummary[];
  /** The stamp of the rebuild that wrote it ('' for items written before stamps). */
  build: string;
}

/** A zone's summed peaks over one UTC day, and what they were built from. */
export interface ZoneDayRollup {
  day: string;
  /** [data scope, stamp of its rollup that day, null when it had none] of every lot, by scope. */
  members: [string, string | null][];
  quarters: readonly PackedPeak[];
}

export interface ReadStats {
  itemsRead: number;
  rawObservationsRead: number;
  /** UTC days whose quarters a rebuild summarized (its CPU cost; tests bound it). */
  daysRebuilt?: number;
}

// ── The ports ──

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
  /** Every lot (or a zone's), by id; with `limit`, at most that many ids are read. */
  list(zone?: string, limit?: number): Promise<StoredLot[]>;
  getMany(ids: readonly string[]): Promise<StoredLot[]>;
  /**
   * One page of every lot in catalog order (zone, then id): at most `limit` lots after the
   * catalog position `after`, and the position to continue from if more may follow.
   */
  listPage(limit: number, after?: CatalogPosition): Promise<{ lots: StoredLot[]; next?: CatalogPosition }>;
  /** Clusters of a box from the coarse-cell aggregates, at one geohash precision (1..5). */
  clustersInBox(box: Bbox, precision: number, stats: ClusterStats): Promise<ClusterAnswer>;
  /** Rebuilds the coarse-cell aggregates from every lot (the scheduled job). */
  rebuildClusters(
    lots: AsyncIterable<readonly ClusterLot[]>,
    now: number,
  ): Promise<{ lots: number; cells: number }>;
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
  /** The lot's reported bays by space id, at most `limit` (one Query); or the one named `spaceId`. */
  bays(lot: LotIncarnation, query: { limit: number; spaceId?: string }): Promise<BayReport[]>;
}

export interface KeysPort {
  authenticate(secret: string): Promise<AuthenticatedKey | null>;
  create(input: NewKey, now: number): Promise<ApiKey & { secret: string }>;
  /** One page of keys in id order: live keys among the `limit` after key id `after`, and where to go on. */
  listPage(limit: number, after?: string): Promise<{ keys: ApiKey[]; next?: string }>;
  revoke(keyId: string, now: number): Promise<boolean>;
}

export interface IntegrationsPort {
  /** Creates the integration, or gives an existing one a new secret (its devices stay). */
  put(
    input: { integrationId: string; network: Network; label: string },
    now: number,
  ): Promise<{ integration: Integration; secret: string; created: boolean }>;
  /** The integration this secret belongs to, if it exists and the secret matches. */
  authenticate(integrationId: string, secret: string): Promise<Integration | null>;
  get(integrationId: string): Promise<Integration | null>;
  delete(integrationId: string): Promise<boolean>;
  putDevice(integration: Integration, mapping: DeviceMapping): Promise<void>;
  getDevice(integration: Integration, deviceId: string): Promise<DeviceMapping | null>;
}

export interface RollupsPort {
  /** Rebuilds a marked lot's rollups; the UTC days (day-start instants) it rewrote. */
  ensureFresh(lot: StoredLot, stats: ReadStats): Promise<number[]>;
  readZone(
    zone: string,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
  ): Promise<Map<string, ZoneDayRollup>>;
  writeZone(zone: string, days: readonly ZoneDayRollup[]): Promise<void>;
  read(
    lot: LotIncarnation,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
  ): Promise<Map<string, DayRollup>>;
  /**
   * The exact steps from `from` to `to` (with the one carried in at `from`). With `maxObservations`,
   * a read of more raw observations than that stops with HistoryBudgetError.
   */
  stepsBetween(
    lot: LotIncarnation,
    from: number,
    to: number,
    stats: ReadStats,
    maxObservations?: number,
  ): Promise<OccupancyStep[]>;
}

/** A lot incarnation's stored forecast model (README "Forecasts"). */
export interface ForecastModelsPort {
  /** The model of this incarnation, or null (none fitted yet, or one that is not readable). */
  get(lot: LotIncarnation): Promise<ForecastModel | null>;
  /**
   * The models of many lots (by id: nearby's lots carry no generation) in one batch read, by lot id
   * (missing ones absent). A lot's model item is removed when the lot is deleted.
   */
  getMany(lotIds: readonly string[], stats?: { readUnits: number }): Promise<Map<string, ForecastModel>>;
  /** When each lot's model was fitted (a projection: the job's check), by lot id. */
  fittedAt(lots: readonly LotIncarnation[]): Promise<Map<string, { fittedAt: number; timeZone: string }>>;
  /** Stores a model unless a later-fitted one is there already. */
  put(lot: LotIncarnation, model: ForecastModel): Promise<void>;
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
  forecasts: ForecastModelsPort;
  metrics: MetricsPort;
  lots: LotsPort;
  observations: ObservationsPort;
  keys: KeysPort;
  integrations: IntegrationsPort;
  sources: SourcesPort;
  feeds: FeedFetcherPort;
  /** Epoch milliseconds; injected so tests control time. */
  now: () => number;
  /** Resolves true when the store answers. */
  storeHealthy: () => Promise<boolean>;
  historyRetentionDays: number;
}
