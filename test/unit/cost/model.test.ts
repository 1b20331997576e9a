// The cost model (scripts/cost/model.ts) and its reading of a benchmark result: what the README's
// "Cost and capacity" figures rest on.
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../../bench/types';
import { MissingFigureError, unitsFromBench } from '../../../scripts/cost/bench-units';
import {
  costModel,
  keyReadsPerSecond,
  PARTITION_WRITE_UNITS_PER_SECOND,
  type Scenario,
  type UnitsPerOperation,
  US_EAST_1_PRICES,
} from '../../../scripts/cost/model';

const units: UnitsPerOperation = {
  writeUnitsPerObservation: 4,
  readUnitsPerObservation: 1.5,
  writeUnitsPerBatchedObservation: 2.2,
  readUnitsPerBatchedObservation: 0.6,
  batchSize: 25,
  nearbyReadUnits: 5,
  reportReadUnits: 600,
  reportLotDays: 3000,
  sources: {},
};

const city: Scenario = {
  lots: 5000,
  bays: 100_000,
  bayEventsPerDay: 20,
  obsPerMinute: 5000,
  obsBatch: 1,
  queriesPerDay: 2_000_000,
  forecastsPerDay: 0,
  reportsPerDay: 200,
  reportLotDays: 3000,
  peakFactor: 3,
  busiestCellShare: 0.2,
  lambdaMs: 40,
  lambdaMemoryMb: 1024,
  historyRetentionDays: 400,
  apiKeys: 5000,
  apiKeyCacheSeconds: 30,
  historyItemBytes: 600,
};

describe('cost model', () => {
  it('charges each operation its measured units', () => {
    const quiet = costModel(units, { ...city, bays: 0, obsPerMinute: 0, reportsPerDay: 0 });
    // Only queries: 2 M a day × 5 units.
    expect(quiet.readUnits.perSecond).toBeCloseTo((2_000_000 * 5) / 86_400, 6);
    expect(quiet.writeUnits.perSecond).toBe(0);
    expect(quiet.bill.dynamoReads).toBeCloseTo(
      ((2_000_000 * 5 * 30.4375) / 1e6) * US_EAST_1_PRICES.perMillionReadUnits,
      6,
    );
    const one = costModel(units, { ...city, bays: 0, queriesPerDay: 0, reportsPerDay: 0, obsPerMinute: 1 });
    expect(one.writeUnits.perMonth).toBeCloseTo(1440 * 30.4375 * 4, 6);
  });

  it('scales linearly with the load, and peaks by the peak factor', () => {
    const base = costModel(units, city);
    const ten = costModel(units, {
      ...city,
      lots: city.lots * 10,
      bays: city.bays * 10,
      obsPerMinute: city.obsPerMinute * 10,
      queriesPerDay: city.queriesPerDay * 10,
      reportsPerDay: city.reportsPerDay * 10,
    });
    expect(ten.writeUnits.perMonth).toBeCloseTo(base.writeUnits.perMonth * 10, 3);
    expect(ten.readUnits.perMonth).toBeCloseTo(base.readUnits.perMonth * 10, 3);
    expect(base.writeUnits.peakPerSecond).toBeCloseTo(base.writeUnits.perSecond * 3, 9);
    // Storage and the scheduled job do not scale with requests alone, so the bill is under 10×.
    expect(ten.bill.total).toBeGreaterThan(base.bill.total * 9.9);
  });

  it('batching count observations cuts their write units and requests', () => {
    const single = costModel(units, { ...city, bays: 0 });
    const batched = costModel(units, { ...city, bays: 0, obsBatch: 25 });
    expect(batched.writeUnits.perMonth / single.writeUnits.perMonth).toBeCloseTo(2.2 / 4, 6);
    expect(batched.requests.ingest).toBeCloseTo(single.requests.ingest / 25, 3);
  });

  it('names the partition that reaches its ceiling first', () => {
    const r = costModel(units, city);
    expect(r.hottest[0]!.share).toBeGreaterThanOrEqual(r.hottest.at(-1)!.share);
    // Every lot in one cell: that cell's index partition takes every lot change at peak.
    const crowded = costModel(units, { ...city, busiestCellShare: 1, obsPerMinute: 60_000 });
    const cell = crowded.hottest.find((p) => p.name.includes('geo'))!;
    expect(cell.unitsPerSecond).toBeCloseTo(((60_000 * 1440 + 2_000_000) / 86_400) * 3, 6);
    expect(cell.share).toBeGreaterThan(1);
    expect(crowded.breaksFirst).toContain("over one partition's ceiling");
    expect(cell.limit).toBe(PARTITION_WRITE_UNITS_PER_SECOND);
  });
});

describe('units from a benchmark result', () => {
  const bench = {
    ingest: [
      {
        store: 'dynamodb-local',
        concurrency: 32,
        batch: 1,
        writeUnitsPerObservation: 4,
        readUnitsPerObservation: 1.5,
      },
      {
        store: 'dynamodb-local',
        concurrency: 32,
        batch: 25,
        writeUnitsPerObservation: 2.2,
        readUnitsPerObservation: 0.6,
      },
      {
        store: 'dynalite',
        concurrency: 32,
        batch: 1,
        writeUnitsPerObservation: 3,
        readUnitsPerObservation: 2,
      },
    ],
    geo: [
      { approach: 'ours', dataset: 'a', radius: 1000, store: 'dynamodb-local', readUnitsPerQuery: 5.0 },
      { approach: 'ours', dataset: 'b', radius: 5000, store: 'dynamodb-local', readUnitsPerQuery: 5.4 },
      { approach: 'scan', dataset: 'b', radius: 5000, store: 'dynamodb-local', readUnitsPerQuery: 222 },
    ],
    reports: { lots: 100, days: 30, readUnits: 651, store: 'dynamodb-local' },
  } as unknown as Partial<BenchResults>;

  it('takes the costliest figure of each kind on DynamoDB Local, never a baseline', () => {
    const u = unitsFromBench(bench, 'x.json');
    expect(u.writeUnitsPerObservation).toBe(4);
    // A bench from before store requests were counted read the key on every request: its unit is
    // taken off, as the model adds key reads itself. dynalite's 2 read units are not AWS's units.
    expect(u.readUnitsPerObservation).toBe(0.5);
    expect(u.readUnitsPerBatchedObservation).toBeCloseTo(0.6 - 1 / 25, 10);
    expect(u.nearbyReadUnits).toBe(5.4);
    expect(u.reportReadUnits).toBe(651);
    expect(u.reportLotDays).toBe(3000);
    expect(u.forecastReadUnits).toBeUndefined();
  });

  it('keeps the read units of a bench whose requests found their key cached (one GetItem a request)', () => {
    const perRequest = (getItems: number) =>
      ({
        ...bench,
        ingest: bench.ingest!.map((r) => ({
          ...r,
          storeRequestsPerObservationByCommand: { GetItem: getItems / r.batch },
        })),
      }) as Partial<BenchResults>;
    expect(unitsFromBench(perRequest(1), 'cached.json').readUnitsPerObservation).toBe(1.5);
    // Key and lot read on every request (the cache off, the default): the key's unit comes off.
    expect(unitsFromBench(perRequest(2), 'uncached.json').readUnitsPerObservation).toBe(0.5);
  });

  it('says which bench section to run when a figure is missing', () => {
    const old = { ...bench, ingest: bench.ingest!.map(({ readUnitsPerObservation: _, ...r }) => r) };
    expect(() => unitsFromBench(old as Partial<BenchResults>, 'old.json')).toThrow(MissingFigureError);
    expect(() => unitsFromBench(old as Partial<BenchResults>, 'old.json')).toThrow(/--only ingest/);
    expect(() => unitsFromBench({ ...bench, geo: [] }, 'g.json')).toThrow(/--only geo/);
  });
});

describe('API-key reads', () => {
  it('reads a key on every request when its sensor reports less often than the TTL', () => {
    // 5,000 keys, one request each a minute: every request misses a 30 s cache.
    const rate = 5000 / 60;
    expect(keyReadsPerSecond(rate, city)).toBeCloseTo(rate, 10);
    expect(keyReadsPerSecond(rate, { ...city, apiKeyCacheSeconds: 0 })).toBeCloseTo(rate, 10);
  });

  it('reads a busy key about once per container and TTL', () => {
    // One gateway key, 100 requests a second at 40 ms: 4 containers, each reading it every 30 s.
    const reads = keyReadsPerSecond(100, { ...city, apiKeys: 1 });
    expect(reads).toBeCloseTo(4 / 30, 10);
    expect(keyReadsPerSecond(100, { ...city, apiKeys: 1, apiKeyCacheSeconds: 0 })).toBe(100);
  });

  it('adds the key reads to the bill and the KEY partition', () => {
    const gateway = costModel(units, { ...city, apiKeys: 1 });
    const perLot = costModel(units, city);
    const key = (r: typeof gateway) => r.hottest.find((p) => p.name.includes('KEY'))!.unitsPerSecond;
    expect(key(gateway)).toBeLessThan(key(perLot) / 100);
    expect(gateway.readUnits.perMonth).toBeLessThan(perLot.readUnits.perMonth);
  });
});
