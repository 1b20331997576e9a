// The cost and capacity model behind `npm run cost` (README "Cost and capacity"): from the units
// per operation the benchmark measured (bench/results/latest.json) and a city's scenario, the
// DynamoDB, Lambda and API Gateway load and the monthly bill at on-demand list prices. Pure: the
// CLI reads the files and prints.

/** What one operation costs, as `npm run bench` measured it (README "Benchmarks"). */
export interface UnitsPerOperation {
  /** Write units of one observation sent alone (every index write included). */
  writeUnitsPerObservation: number;
  /**
   * Read units of one observation sent alone (lot, duplicate lookup), without the API-key lookup:
   * the model adds that itself from the scenario's keys and the cache's TTL (`keyReadsPerSecond`).
   */
  readUnitsPerObservation: number;
  /** Write units per observation in batches of `batchSize`. */
  writeUnitsPerBatchedObservation: number;
  readUnitsPerBatchedObservation: number;
  batchSize: number;
  /** Read units of one nearby query (the worst dataset and radius of the run). */
  nearbyReadUnits: number;
  /** Read units of one utilization report of `reportLotDays` lot-days. */
  reportReadUnits: number;
  reportLotDays: number;
  /** Read units of one forecast, when the run measured it. */
  forecastReadUnits?: number;
  /** Where each figure came from, printed with the result. */
  sources: Record<string, string>;
}

export interface Scenario {
  lots: number;
  /** Bay sensors (one per space), each reporting its bay's changes. */
  bays: number;
  /** Changes a bay sensor reports per day (a car arriving and leaving is two). */
  bayEventsPerDay: number;
  /** Count observations per minute, city-wide, from counters, gates and cameras (not bay sensors). */
  obsPerMinute: number;
  /** How count observations arrive: 1 = each alone; 25 = the batch size the bench measured. */
  obsBatch: number;
  queriesPerDay: number;
  forecastsPerDay: number;
  reportsPerDay: number;
  /** Lot-days one report covers (a month of one zone of 100 lots is 3,000). */
  reportLotDays: number;
  /** Busiest hour ÷ the day's mean hour: what capacity and partitions must carry. */
  peakFactor: number;
  /** Share of the lots in the busiest ~5 km geo cell (its index partition takes their writes). */
  busiestCellShare: number;
  /** Billed milliseconds per Lambda invocation (an assumption: the bench measures stores, not AWS). */
  lambdaMs: number;
  lambdaMemoryMb: number;
  historyRetentionDays: number;
  /** API keys (and integration secrets) the ingest and report requests are spread over. */
  apiKeys: number;
  /** API_KEY_CACHE_SECONDS of the functions (0: every request reads its key). */
  apiKeyCacheSeconds: number;
  /** Bytes stored per history item with its index copy (item ~250 B + `byTime` LSI copy + overhead). */
  historyItemBytes: number;
}

/** us-east-1 on-demand list prices (USD) as published since DynamoDB's November 2024 price cut. */
export interface Prices {
  date: string;
  perMillionWriteUnits: number;
  perMillionReadUnits: number;
  perGbMonthStorage: number;
  perMillionLambdaRequests: number;
  perLambdaGbSecond: number;
  perMillionHttpApiRequests: number;
}

export const US_EAST_1_PRICES: Prices = {
  date: 'November 2024 (us-east-1; check the AWS pricing pages before planning)',
  perMillionWriteUnits: 0.625,
  perMillionReadUnits: 0.125,
  perGbMonthStorage: 0.25,
  perMillionLambdaRequests: 0.2,
  perLambdaGbSecond: 0.0000133334, // arm64, the stack's architecture
  perMillionHttpApiRequests: 1.0, // HTTP API, first 300 million a month
};

/** DynamoDB's per-partition ceilings (per second). */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;
export const PARTITION_READ_UNITS_PER_SECOND = 3000;

const SECONDS_PER_DAY = 86_400;
const DAYS_PER_MONTH = 30.4375; // 365.25 / 12
const SCHEDULED_JOB_RUNS_PER_DAY = (24 * 60) / 5; // the stack's 5-minute schedule
/** A strongly consistent GetItem of a key item (well under 4 KB). */
const KEY_READ_UNITS = 1;

/**
 * Key lookups per second for `requestsPerSecond` authenticated requests (README "Keys and
 * authentication"): each function container (one request at a time, so about rate × duration of
 * them) reads a key at most once per TTL, and a key used less often than once per TTL is read on
 * every request, cache or not. An upper bound: it assumes every container sees every key.
 */
export function keyReadsPerSecond(requestsPerSecond: number, s: Scenario): number {
  if (requestsPerSecond <= 0) return 0;
  if (s.apiKeyCacheSeconds <= 0) return requestsPerSecond;
  const containers = Math.max(1, (requestsPerSecond * s.lambdaMs) / 1000);
  const perKey = requestsPerSecond / Math.max(1, s.apiKeys);
  return Math.max(1, s.apiKeys) * Math.min(perKey, containers / s.apiKeyCacheSeconds);
}

export interface Load {
  perSecond: number;
  peakPerSecond: number;
  perMonth: number;
}

export interface CostReport {
  requests: { ingest: number; queries: number; forecasts: number; reports: number; jobs: number };
  writeUnits: Load;
  readUnits: Load;
  /** The busiest partitions at peak, against DynamoDB's ceilings. */
  hottest: { name: string; unitsPerSecond: number; limit: number; share: number; remedy: string }[];
  storageGb: number;
  lambda: { invocationsPerMonth: number; gbSecondsPerMonth: number };
  httpApiRequestsPerMonth: number;
  bill: {
    dynamoWrites: number;
    dynamoReads: number;
    storage: number;
    lambda: number;
    httpApi: number;
    total: number;
  };
  /** The first ceiling the scenario would reach, in words. */
  breaksFirst: string;
}

function load(perDay: number, peakFactor: number): Load {
  const perSecond = perDay / SECONDS_PER_DAY;
  return { perSecond, peakPerSecond: perSecond * peakFactor, perMonth: perDay * DAYS_PER_MONTH };
}

export function costModel(
  units: UnitsPerOperation,
  s: Scenario,
  prices: Prices = US_EAST_1_PRICES,
): CostReport {
  const batched = s.obsBatch > 1;
  const countObsPerDay = s.obsPerMinute * 60 * 24;
  const bayEventsPerDay = s.bays * s.bayEventsPerDay;
  // A bay sensor reports alone. Its event is a single observation plus its bay item: one more write
  // (a bay item is well under 1 KB) and the read of the bay's latest report (eventually consistent,
  // half a unit): the store's bay path (shared/store/observations.ts), not a bench figure yet.
  const bayWrite = units.writeUnitsPerObservation + 1;
  const bayRead = units.readUnitsPerObservation + 0.5;
  const countWrite = batched ? units.writeUnitsPerBatchedObservation : units.writeUnitsPerObservation;
  const countRead = batched ? units.readUnitsPerBatchedObservation : units.readUnitsPerObservation;
  const ingestRequestsPerDay = countObsPerDay / Math.max(1, s.obsBatch) + bayEventsPerDay;
  const reportReads = units.reportReadUnits * (s.reportLotDays / units.reportLotDays);
  const forecastReads = units.forecastReadUnits ?? 0;
  const authenticatedPerSecond = (ingestRequestsPerDay + s.reportsPerDay) / SECONDS_PER_DAY;

  const writesPerDay = countObsPerDay * countWrite + bayEventsPerDay * bayWrite;
  const readsPerDay =
    countObsPerDay * countRead +
    bayEventsPerDay * bayRead +
    s.queriesPerDay * units.nearbyReadUnits +
    s.forecastsPerDay * forecastReads +
    s.reportsPerDay * reportReads +
    keyReadsPerSecond(authenticatedPerSecond, s) * KEY_READ_UNITS * SECONDS_PER_DAY;
  const writeUnits = load(writesPerDay, s.peakFactor);
  const readUnits = load(readsPerDay, s.peakFactor);

  // Partitions. The geo index's busiest cell takes one index write per lot state change of its lots
  // (drivers' figures change with every observation today). One lot's own partition takes its
  // observations and its bays' events. Authenticated requests read their keys from the single `KEY`
  // partition (a strongly consistent GetItem, shared/store/api-keys.ts: one unit) when the
  // container's key cache does not hold them (keyReadsPerSecond).
  const lotChangesPerSecondPeak = ((countObsPerDay + bayEventsPerDay) / SECONDS_PER_DAY) * s.peakFactor;
  const geoCell = lotChangesPerSecondPeak * s.busiestCellShare;
  const perLot =
    ((countObsPerDay / s.lots) * countWrite + (bayEventsPerDay / s.lots) * bayWrite) / SECONDS_PER_DAY;
  const keyReads = keyReadsPerSecond(authenticatedPerSecond * s.peakFactor, s) * KEY_READ_UNITS;
  const hottest = [
    {
      name: '`geo` index: busiest cell (writes)',
      unitsPerSecond: geoCell,
      limit: PARTITION_WRITE_UNITS_PER_SECOND,
      remedy:
        'its geohash-10 sort keys let DynamoDB split it by range; writing the index only when drivers’ figures change would cut it',
    },
    {
      name: 'one lot (writes)',
      unitsPerSecond: perLot * s.peakFactor,
      limit: PARTITION_WRITE_UNITS_PER_SECOND,
      remedy: 'batch its observations',
    },
    {
      name: '`KEY` partition (reads)',
      unitsPerSecond: keyReads,
      limit: PARTITION_READ_UNITS_PER_SECOND,
      remedy:
        'its random key ids let DynamoDB split it by range; sensors that report more often than API_KEY_CACHE_SECONDS, or gateways sending many lots under one key, read it less',
    },
  ]
    .map((p) => ({ ...p, share: p.unitsPerSecond / p.limit }))
    .sort((a, b) => b.share - a.share);

  const storedItems = (countObsPerDay + bayEventsPerDay) * s.historyRetentionDays;
  const storageGb = (storedItems * s.historyItemBytes) / 1e9;

  const requests = {
    ingest: ingestRequestsPerDay * DAYS_PER_MONTH,
    queries: s.queriesPerDay * DAYS_PER_MONTH,
    forecasts: s.forecastsPerDay * DAYS_PER_MONTH,
    reports: s.reportsPerDay * DAYS_PER_MONTH,
    jobs: SCHEDULED_JOB_RUNS_PER_DAY * DAYS_PER_MONTH,
  };
  const httpApiRequestsPerMonth = requests.ingest + requests.queries + requests.forecasts + requests.reports;
  const invocationsPerMonth = httpApiRequestsPerMonth + requests.jobs;
  const gbSecondsPerMonth = invocationsPerMonth * (s.lambdaMs / 1000) * (s.lambdaMemoryMb / 1024);

  const bill = {
    dynamoWrites: (writeUnits.perMonth / 1e6) * prices.perMillionWriteUnits,
    dynamoReads: (readUnits.perMonth / 1e6) * prices.perMillionReadUnits,
    storage: storageGb * prices.perGbMonthStorage,
    lambda:
      (invocationsPerMonth / 1e6) * prices.perMillionLambdaRequests +
      gbSecondsPerMonth * prices.perLambdaGbSecond,
    httpApi: (httpApiRequestsPerMonth / 1e6) * prices.perMillionHttpApiRequests,
    total: 0,
  };
  bill.total = bill.dynamoWrites + bill.dynamoReads + bill.storage + bill.lambda + bill.httpApi;

  const first = hottest[0]!;
  const breaksFirst =
    `${first.name} at ${pct(first.share)} of its ${first.limit} units/s at peak` +
    (first.share >= 1
      ? `: over one partition's ceiling, so requests throttle until DynamoDB splits it (${first.remedy})`
      : `: reached at about ${round(1 / first.share, 1)}× this scenario's load (${first.remedy})`);

  return {
    requests,
    writeUnits,
    readUnits,
    hottest,
    storageGb,
    lambda: { invocationsPerMonth, gbSecondsPerMonth },
    httpApiRequestsPerMonth,
    bill,
    breaksFirst,
  };
}

const pct = (x: number) => `${round(x * 100, 1)}%`;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
