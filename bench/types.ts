// The shape of bench/results/latest.json (README "Benchmarks") and what every section receives.
// Sections live in bench/sections/*.ts; bench/run.ts runs them and writes the file.

export type StoreName = 'dynamodb-local' | 'dynalite';
export type GeoApproach = 'ours' | 'scan' | 'dynamodb-geo';

/** A figure measured over repetitions: the median is the headline, min and max show the spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface GeoRow {
  store: StoreName;
  dataset: string;
  lots: number;
  radius: number;
  approach: GeoApproach;
  queries: number;
  itemsReadPerQuery: number;
  lotsInRadiusPerQuery: number;
  lotsNeededPerQuery: number;
  readAmplification: number;
  requestsPerQuery: number;
  readUnitsPerQuery: number;
  /**
   * Sequential store rounds per query (mean; median over repetitions): ours counts the steps of
   * its search that waited on the store; Scan its pages; dynamodb-geo each time its Queries start
   * again from none in flight.
   */
  roundsPerQuery: number;
  /** 95th percentile of rounds per query (median over repetitions). */
  roundsP95: number;
  p50Ms: number;
  p95Ms: number;
  /** p50 over repetitions, when repeated. */
  p50Spread?: Spread;
  /** p95 over repetitions, when repeated. */
  p95Spread?: Spread;
  /** Time to load the dataset into this approach's table (ours and scan share one table). */
  loadSeconds?: number;
  /**
   * ours only: whether the coarse-cell aggregates that size its first circle were rebuilt for the
   * dataset (false: the rebuild failed, and the search started small as on a table never rebuilt).
   */
  aggregatesRebuilt?: boolean;
  /** scan and dynamodb-geo: their p50 ÷ ours on the same queries (median over repetitions). */
  p50RatioToOurs?: number;
  /** dynamodb-geo only: digits of the S2 cell id used as its partition key. */
  hashKeyLength?: number;
}

export interface IngestRow {
  store: StoreName;
  concurrency: number;
  batch: number;
  observationsPerSecond: number;
  rawUpdatesPerSecond: number;
  ratio: number;
  writeUnitsPerObservation: number;
  /** Of which index writes (GSI/LSI), where the store reports them. */
  indexWriteUnitsPerObservation?: number;
  /** Read units per observation (the key, the lot, the duplicate lookup), as the store reports them. */
  readUnitsPerObservation?: number;
  /**
   * Store requests the server sent per observation applied (key lookups included: the API-key
   * cache makes most of those free), in all and per SDK command: the round trips ingestion costs.
   */
  storeRequestsPerObservation?: number;
  storeRequestsPerObservationByCommand?: Record<string, number>;
  observationsPerSecondSpread?: Spread;
  rawUpdatesPerSecondSpread?: Spread;
  /** Non-2xx answers and socket errors over the measured runs (0 when all went through). */
  failedRequests?: number;
}

export interface HttpResult {
  nearbyRps: number;
  healthRps: number;
  ratio: number;
  nearbyP99Ms: number;
  healthP99Ms?: number;
  errors?: number;
  store?: StoreName;
  /** Lots seeded for the nearby queries. */
  lots?: number;
  connections?: number;
  nearbyP50Ms?: number;
  healthP50Ms?: number;
  nearbyRpsSpread?: Spread;
  healthRpsSpread?: Spread;
}

export interface LambdaResult {
  /** Every JavaScript file the function ships, minified (infra/bundling.ts), together. */
  bundleBytes: number;
  /** Of bundleBytes: the entry (index.mjs), which a cold start imports before any lazy chunk. */
  entryBytes?: number;
  /** Of bundleBytes: the entry and the chunks it imports statically, which a cold start parses. */
  initialBytes?: number;
  /** JavaScript files the function ships (1 without code splitting). */
  bundleFiles?: number;
  zippedBytes: number;
  coldInitMs: number;
  bareHonoInitMs: number;
  initRatio: number;
  bareHonoBundleBytes?: number;
  bareHonoZippedBytes?: number;
  /** How zippedBytes was measured. */
  zipMethod?: string;
  /** The zip with the source map next to the code, as the CDK asset ships it. */
  zippedWithSourceMapBytes?: number;
  /** The store and the event the cold processes answered. */
  store?: StoreName;
  event?: string;
  coldInitSpread?: Spread;
  bareHonoInitSpread?: Spread;
  /** Of the cold init: ms from the process's start until the bundle's import finished. */
  coldImportMs?: number;
  bareHonoImportMs?: number;
  /** Cold init answering GET /v1/lots/nearby instead (a real query), for comparison. */
  coldInitNearbyMs?: number;
}

export interface ReportsResult {
  lots: number;
  days: number;
  itemsRead: number;
  rawObservations: number;
  ms: number;
  store?: StoreName;
  msSpread?: Spread;
  /** Of itemsRead: lot items, rollup items, raw history items (from the project's own ReadStats). */
  lotItemsRead?: number;
  rollupItemsRead?: number;
  rawItemsRead?: number;
  requests?: number;
  readUnits?: number;
  /** Rows in the report (lots × days). */
  rows?: number;
  seedSeconds?: number;
  /** The scheduled job's work before the report: refreshRollups over the seeded history. */
  rollupRefreshSeconds?: number;
  observationsPerLotPerDay?: number;
  /**
   * The zone report over the same range (`?zone=`, one of the seeded zones): every item its
   * request read (lot items, lot and zone rollups, raw history), its lots, and items per lot-day.
   */
  zoneItemsRead?: number;
  zoneLots?: number;
  zoneItemsPerLotDay?: number;
  zoneRawItemsRead?: number;
  zoneMs?: number;
  /** The same zone report with no zone rollups (the raw path, as before them): items per lot-day. */
  zoneRawPathItemsPerLotDay?: number;
}

export interface ForecastBenchResult {
  store: StoreName;
  lots: number;
  days: number;
  observations: number;
  modelsFitted: number;
  /** The job's work: rollups and every lot's model. */
  fitSeconds: number;
  /** Median read units of one GET /v1/lots/{id}/forecast (and the most any took). */
  forecastReadUnits: number;
  forecastReadUnitsMax: number;
  forecastRequests: number;
  forecastMs: number;
  /** A forecast that fits its model on demand (a past asOf): read units, raw observations, ms (medians). */
  onDemandReadUnits: number;
  onDemandRawObservations: number;
  onDemandMs: number;
  nearbyQueries: number;
  /** Mean read units of the same nearby queries without and with arriveAt, and their ratio. */
  nearbyReadUnits: number;
  nearbyArriveAtReadUnits: number;
  arriveAtRatio: number;
  nearbyMs: number;
  nearbyArriveAtMs: number;
  lotsPerNearbyAnswer: number;
  /** Of the lots nearby answered with arriveAt, the share with a prediction. */
  predictedShare: number;
}

export interface BenchResults {
  startedAt: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  durationSeconds: number;
  geo: GeoRow[];
  ingest: IngestRow[];
  http: HttpResult;
  lambda: LambdaResult;
  reports: ReportsResult;
  forecast: ForecastBenchResult;
  clusters: import('./sections/clusters').ClusterBoxRow[];
}

export interface SectionOptions {
  quick: boolean;
  /** At least 3: each figure is the median of these repetitions. */
  repetitions: number;
  /** Endpoint of a DynamoDB Local already started by the harness (fresh tables per section). */
  ddbLocalEndpoint?: string;
  /** Progress lines go here (stderr), so the table on stdout stays clean. */
  log: (line: string) => void;
  /** ../shared/data when present, else undefined (sections say what they skipped). */
  sharedDataDir?: string;
}
