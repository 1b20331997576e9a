// Geo query benchmark (README "Benchmarks", section 1): the project's nearby search against a full Scan and
// against the dynamodb-geo package, on the same lots, the same queries and the same store.
//
// Per store and dataset: our table is loaded with the store's own lot items (toLotItem, the item
// putLot writes) and directory cells by BatchWriteItem; dynamodb-geo gets its own table (GeoTableUtil) holding the same
// lots with the attributes our geo index projects. The true answer of every query is computed in
// memory from the generated lots; every approach must return exactly it (the same 10 lots in the
// same order), or the section fails after measuring.

import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DEMO_CENTRE } from '../../shared/demo/seed';
import { parseCsv } from '../../shared/domain/csv-read';
import { freeSpaces, type Lot, type LotFeature, type LotType, matchesNearby } from '../../shared/domain/lot';
import { loadOpeningHours } from '../../shared/domain/opening-hours';
import { seededRandom } from '../../shared/domain/random';
import type { StoredLot } from '../../shared/domain/stored-lot';
import { type LatLon, METRES_PER_DEGREE, metresBetween, offsetBy, rankNearby } from '../../shared/geo';
import { mapLimit } from '../../shared/lib/concurrency';
import { createDynamoClient } from '../../shared/store/client';
import { type EmbeddedStore, startEmbeddedStore } from '../../shared/store/embedded';
import { fromLotItem, toLotItem } from '../../shared/store/lot-item';
import { DynamoLots } from '../../shared/store/lots';
import { createTableInput, GEO_INDEX } from '../../shared/store/table-design';
import { findNearby, type NearbyQuery } from '../../shared/use-cases/find-nearby';
import { refreshClusters } from '../../shared/use-cases/manage-lots';
import { writeLots } from '../../test/support/city';
import type { GeoApproach, GeoRow, SectionOptions, Spread, StoreName } from '../types';
import { retryUnprocessed } from './lib/unprocessed';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

/** What the section runs; `geoConfig` gives the quick and full defaults, tests override parts. */
export interface GeoConfig {
  /** Synthetic metro sizes (lots). */
  sizes: number[];
  /** Include the Singapore HDB car parks when o.sharedDataDir has them. */
  singapore: boolean;
  stores: StoreName[];
  /** Stores on which the synthetic sizes above this are skipped (dynalite is slow at 100k). */
  maxSizeOn: Partial<Record<StoreName, number>>;
  radii: number[];
  limit: number;
  /** Seeded driver positions per dataset and radius. */
  queries: number;
  /** Queries per approach (the first n of the same list); a full Scan per query is slow at 100k. */
  queriesPer: (approach: GeoApproach, radius: number, lots: number) => number;
  /** Untimed queries each approach runs on its fresh client before each timed repetition. */
  warmup: number;
  /** dynamodb-geo's hashKeyLength (digits of the S2 cell id used as partition key). */
  hashKeyLength: number;
  seed: number;
}

export function geoConfig(o: Pick<SectionOptions, 'quick' | 'ddbLocalEndpoint'>): GeoConfig {
  const local: StoreName[] = o.ddbLocalEndpoint ? ['dynamodb-local'] : [];
  return {
    // Quick (CI, under 3 minutes on a busy machine): 5,000 lots, enough for every approach's figures.
    sizes: o.quick ? [5_000] : [10_000, 100_000],
    singapore: true,
    stores: o.quick ? (local.length > 0 ? local : ['dynalite']) : [...local, 'dynalite'],
    maxSizeOn: { dynalite: 10_000 },
    radii: [1000, 5000],
    limit: 10,
    queries: 200,
    // ours runs the most queries; a full Scan and dynamodb-geo take seconds per query at 5 km or
    // 100k lots, so they run the first n of the same list (the row says how many) and their p50
    // is also compared with ours on exactly those queries (p50RatioToOurs).
    queriesPer: (approach, radius, lots) => {
      const big = lots > 20_000;
      const small = lots < 5_000;
      const near = radius <= 1000;
      if (approach === 'ours') return o.quick && small ? 50 : o.quick ? 100 : 200;
      // A full Scan of 100k lots takes ~70 s per query on DynamoDB Local (measured): skipped (0).
      if (approach === 'scan') return o.quick ? (small ? 3 : 2) : big ? 0 : small ? 10 : 5;
      if (o.quick) return small ? (near ? 10 : 5) : near ? 8 : 2;
      if (big) return near ? 5 : 2;
      return small ? (near ? 30 : 15) : near ? 30 : 10;
    },
    warmup: o.quick ? 1 : 2,
    // dynamodb-geo's own tests recommend 7 for 1 km and 5 for 10 km radius searches; 6 (the Java
    // library's default) sits between our two radii.
    hashKeyLength: 6,
    seed: 20_261_123,
  };
}

/** A fixed clock: the lots' observations are dated relative to it, so staleness is repeatable. */
const SYNTHETIC_NOW = Date.parse('2026-11-23T10:00:00Z');

export interface Dataset {
  name: string;
  lots: StoredLot[];
  now: number;
}

interface GeoQuery {
  center: LatLon;
  radius: number;
}

interface Truth {
  ids: string[];
  inRadius: number;
  needed: number;
}

interface QueryCost {
  items: number;
  requests: number;
  units: number;
  /** Sequential store rounds: ours counts its own steps; the others, each time requests start from none in flight. */
  rounds: number;
  ms: number;
}

interface Runner {
  /** Returns the ranked ids and what the query cost in the store. */
  run(query: GeoQuery): Promise<{ ids: string[]; cost: Omit<QueryCost, 'ms'> }>;
  close(): Promise<void>;
}

export class GeoMismatchError extends Error {
  constructor(
    message: string,
    readonly partial: GeoRow[],
  ) {
    super(message);
    this.name = 'GeoMismatchError';
  }
}

export async function benchGeo(o: SectionOptions, overrides: Partial<GeoConfig> = {}): Promise<GeoRow[]> {
  const config = { ...geoConfig(o), ...overrides };
  const rows: GeoRow[] = [];
  const mismatches: string[] = [];
  const datasets = buildDatasets(o, config);
  for (const store of config.stores) {
    const server = await openServer(store, o);
    try {
      for (const dataset of datasets) {
        const cap = config.maxSizeOn[store];
        if (dataset.name.startsWith('synthetic') && cap !== undefined && dataset.lots.length > cap) {
          o.log(`geo: ${dataset.name} skipped on ${store} (only up to ${cap} lots there)`);
          continue;
        }
        try {
          rows.push(...(await benchDataset(o, config, store, server.endpoint, dataset, mismatches)));
        } catch (error) {
          // Keep what the earlier datasets measured: the harness writes it even when a section fails.
          throw Object.assign(error instanceof Error ? error : new Error(String(error)), { partial: rows });
        }
      }
    } finally {
      await server.close();
    }
  }
  if (mismatches.length > 0) {
    throw new GeoMismatchError(
      `geo: ${mismatches.length} answers differ from the true nearest lots:\n  ${mismatches.slice(0, 10).join('\n  ')}`,
      rows,
    );
  }
  return rows;
}

async function openServer(
  store: StoreName,
  o: SectionOptions,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  if (store === 'dynamodb-local') {
    if (!o.ddbLocalEndpoint)
      throw new Error('geo: DynamoDB Local requested but the harness did not start it');
    return { endpoint: o.ddbLocalEndpoint, close: async () => {} };
  }
  // A fresh in-process dynalite for the section, in memory.
  const embedded: EmbeddedStore = await startEmbeddedStore();
  return { endpoint: embedded.endpoint, close: () => embedded.close() };
}

// ---------------------------------------------------------------------------------------------
// Data sets

function buildDatasets(o: SectionOptions, config: GeoConfig): Dataset[] {
  const sets: Dataset[] = config.sizes.map((size) => ({
    name: `synthetic-${size >= 1000 && size % 1000 === 0 ? `${size / 1000}k` : size}`,
    lots: syntheticMetro(size, config.seed, SYNTHETIC_NOW),
    now: SYNTHETIC_NOW,
  }));
  if (config.singapore) {
    const singapore = o.sharedDataDir ? singaporeLots(o.sharedDataDir) : null;
    if (singapore) sets.push(singapore);
    else o.log('geo: Singapore car parks skipped (shared data lots/singapore/ not found)');
  }
  return sets;
}

const TYPES: LotType[] = ['garage', 'surface', 'underground', 'on_street', 'park_and_ride'];
const FEATURES: LotFeature[] = ['ev', 'accessible', 'covered', '24h', 'bicycle'];
const METRO_CENTRE = DEMO_CENTRE;

/**
 * A metro of ~30 km across: 70% of lots in 8 downtown clusters (Gaussian, σ 600–2,000 m), the
 * rest spread thinly. Occupancy is seeded: about 17% full, 2% closed, 4% never observed and
 * about 5% stale, so "free" filtering matters.
 */
export function syntheticMetro(size: number, seed: number, now: number): StoredLot[] {
  const random = seededRandom(seed);
  const clusters = Array.from({ length: 8 }, () => ({
    at: offset(METRO_CENTRE, 9000 * Math.sqrt(random()), random() * 2 * Math.PI),
    sigma: 600 + 1400 * random(),
  }));
  const lots: StoredLot[] = [];
  for (let i = 0; i < size; i++) {
    const cluster = random() < 0.7 ? clusters[Math.floor(random() * clusters.length)]! : null;
    const location = cluster
      ? offset(cluster.at, Math.abs(cluster.sigma * gaussian(random)), random() * 2 * Math.PI)
      : offset(METRO_CENTRE, 15_000 * Math.sqrt(random()), random() * 2 * Math.PI);
    const capacity = 5 + Math.floor(random() * 400);
    const observed = random() < 0.96;
    const age = Math.floor(random() * (random() < 0.1 ? 7_200_000 : 1_800_000));
    const lastAt = observed ? now - age : null;
    const occupied = observed ? Math.min(capacity, Math.floor(capacity * random() * 1.2)) : null;
    const id = `lot-${String(i).padStart(6, '0')}`;
    lots.push(
      storedLot({
        id,
        name: `Lot ${i}`,
        location,
        capacity,
        type: TYPES[i % TYPES.length]!,
        features: FEATURES.filter(() => random() < 0.3),
        closed: random() < 0.02,
        occupied,
        lastAt,
        now,
      }),
    );
  }
  return lots;
}

/**
 * Singapore HDB car parks (the handbook's data in ../shared/data, as README "Tests" says): geometry from the WGS84 CSV, car capacity and free
 * spaces (lot_type C) from the 2020-09-30 availability snapshot, observed at each car park's own
 * update_datetime (Singapore time), so car parks whose feed stopped are stale. Car parks absent
 * from the snapshot, or without car lots, have no data and are never an answer (but are read).
 */
export function singaporeLots(sharedDataDir: string): Dataset | null {
  const dir = join(sharedDataDir, 'lots', 'singapore');
  let csv: string;
  let snapshot: {
    items: Array<{
      timestamp: string;
      carpark_data: Array<{
        carpark_number: string;
        update_datetime: string;
        carpark_info: Array<{ total_lots: string; lot_type: string; lots_available: string }>;
      }>;
    }>;
  };
  try {
    csv = readFileSync(join(dir, 'hdb-carpark-information-2019-06-30-wgs84.csv'), 'utf8');
    snapshot = JSON.parse(
      readFileSync(join(dir, 'carpark-availability-2020-09-30T150527+0800.json'), 'utf8'),
    );
  } catch {
    return null;
  }
  const item = snapshot.items[0]!;
  const now = Date.parse(item.timestamp);
  const availability = new Map<string, { total: number; free: number; at: number }>();
  for (const entry of item.carpark_data) {
    const car = entry.carpark_info.find((info) => info.lot_type === 'C');
    if (!car || availability.has(entry.carpark_number)) continue; // first entry wins
    availability.set(entry.carpark_number, {
      total: Number(car.total_lots),
      free: Number(car.lots_available),
      at: Date.parse(`${entry.update_datetime}+08:00`),
    });
  }
  const table = parseCsv(csv);
  const header = table[0]!;
  const col = (name: string) => header.indexOf(name);
  const [idCol, addressCol, latCol, lonCol] = [col('car_park_no'), col('address'), col('lat'), col('lon')];
  const lots: StoredLot[] = [];
  const seen = new Set<string>();
  for (const cells of table.slice(1)) {
    const code = cells[idCol]?.trim() ?? '';
    const lat = Number(cells[latCol]);
    const lon = Number(cells[lonCol]);
    if (!code || seen.has(code) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    seen.add(code);
    const known = availability.get(code);
    lots.push(
      storedLot({
        id: `sg-${code}`,
        name: cells[addressCol] ?? code,
        location: { lat, lon },
        capacity: known?.total ?? 0,
        type: 'garage',
        features: [],
        closed: false,
        occupied: known ? known.total - known.free : null,
        lastAt: known && Number.isFinite(known.at) ? known.at : null,
        now,
      }),
    );
  }
  return { name: `singapore-${lots.length}`, lots, now };
}

function storedLot(input: {
  id: string;
  name: string;
  location: LatLon;
  capacity: number;
  type: LotType;
  features: LotFeature[];
  closed: boolean;
  occupied: number | null;
  lastAt: number | null;
  now: number;
}): StoredLot {
  const observed = input.lastAt !== null;
  return {
    id: input.id,
    name: input.name,
    location: input.location,
    capacity: input.capacity,
    type: input.type,
    features: input.features,
    zone: undefined,
    timeZone: 'UTC',
    staleAfterSeconds: 3600,
    openingHours: undefined,
    closed: input.closed,
    occupied: input.occupied,
    lastAt: input.lastAt,
    lastEventId: observed ? `e-${input.id}` : null,
    baseAt: input.lastAt,
    baseEventId: observed ? `e-${input.id}` : null,
    baysOccupied: 0,
    baysOccupiedAtBase: 0,
    hasBays: false,
    rollupFrom: null,
    rollupSeq: 0,
    generation: `g-${input.id}`,
    version: 1,
    pending: {},
    createdAt: input.now,
    updatedAt: input.now,
  };
}

const offset = (from: LatLon, metres: number, bearing: number) => offsetBy(from, metres, bearing, 7);

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Drivers stand near lots (so mostly in the clusters): a seeded lot, then up to 400 m away. */
export function driverPositions(lots: readonly StoredLot[], count: number, seed: number): LatLon[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const lot = lots[Math.floor(random() * lots.length)]!;
    return offset(lot.location, 400 * random(), random() * 2 * Math.PI);
  });
}

// ---------------------------------------------------------------------------------------------
// The truth, in memory

/** The nearby filter every approach applies: open, fresh, at least one free space, any features. */
const DRIVER_FILTER: Pick<NearbyQuery, 'minFree' | 'features' | 'includeStale'> = {
  minFree: 1,
  features: [],
  includeStale: false,
};

function rankIds(center: LatLon, radius: number, limit: number, now: number, lots: Iterable<Lot>): string[] {
  const accept = (lot: Lot) => matchesNearby(lot, now, DRIVER_FILTER, hours);
  const candidates = [...lots].map((lot) => ({ ...lot, free: freeSpaces(lot) ?? 0 }));
  return rankNearby(center, candidates, { radius, limit, filter: accept }).map((lot) => lot.id);
}

export function computeTruth(dataset: Dataset, query: GeoQuery, limit: number): Truth {
  // Bounding box first (cheap), exact great-circle distance only for what is inside it.
  const dLat = (query.radius * 1.01 + 10) / METRES_PER_DEGREE;
  const dLon = dLat / Math.cos((query.center.lat * Math.PI) / 180);
  const near: Array<{ lot: StoredLot; distance: number }> = [];
  for (const lot of dataset.lots) {
    if (Math.abs(lot.location.lat - query.center.lat) > dLat) continue;
    if (Math.abs(lot.location.lon - query.center.lon) > dLon) continue;
    const distance = metresBetween(query.center, lot.location);
    if (distance <= query.radius) near.push({ lot, distance });
  }
  const ids = rankIds(
    query.center,
    query.radius,
    limit,
    dataset.now,
    near.map((n) => n.lot),
  );
  let needed = near.length;
  if (ids.length === limit) {
    const farthest = metresBetween(query.center, near.find((n) => n.lot.id === ids[limit - 1])!.lot.location);
    needed = near.filter((n) => n.distance <= farthest).length;
  }
  return { ids, inRadius: near.length, needed };
}

// ---------------------------------------------------------------------------------------------
// One store, one dataset

async function benchDataset(
  o: SectionOptions,
  config: GeoConfig,
  store: StoreName,
  endpoint: string,
  dataset: Dataset,
  mismatches: string[],
): Promise<GeoRow[]> {
  const tag = `${store}/${dataset.name}`;
  const suffix = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  const ourTable = `bench-geo-${suffix}`;
  const geoTable = `bench-dynamodb-geo-${suffix}`;
  const admin = createDynamoClient({
    region: 'us-east-1',
    endpoint,
    requestTimeoutMs: 60_000,
    maxAttempts: 5,
  });
  const geoLib = await loadDynamodbGeo();
  try {
    let started = Date.now();
    await createTable(admin, createTableInput(ourTable));
    // What a table created by this version holds: a complete directory of non-empty cells,
    // then the lots (writeLots writes each partition's cell before its lots).
    await new DynamoLots(admin, ourTable).markCellDirectoryComplete();
    await writeLots(admin, ourTable, dataset.lots);
    const ourLoadMs = Date.now() - started;
    o.log(
      `geo ${tag}: ${dataset.lots.length} lots loaded into our table in ${(ourLoadMs / 1000).toFixed(1)} s`,
    );
    // The coarse-cell aggregates, as the scheduled job rebuilds them: nearby sizes its first
    // circle from their positions (README "Nearby query").
    started = Date.now();
    let aggregatesRebuilt = true;
    try {
      const aggregates = await refreshClusters({
        lots: new DynamoLots(admin, ourTable),
        now: () => dataset.now,
      });
      o.log(
        `geo ${tag}: aggregates rebuilt (${aggregates.cells} cells) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      // A geohash-5 cell of more than ~12,000 lots makes a `pts` item over DynamoDB's 400 KB
      // (the 100k metro's densest cells): the search then runs as on a table never rebuilt.
      aggregatesRebuilt = false;
      o.log(`geo ${tag}: aggregates NOT rebuilt (${String(error)}); ours runs without them`);
    }

    started = Date.now();
    const geoSetup = await geoLib.load(endpoint, geoTable, config.hashKeyLength, dataset.lots);
    const geoLoadMs = Date.now() - started;
    o.log(
      `geo ${tag}: same lots loaded into dynamodb-geo (hashKeyLength ${config.hashKeyLength}, ` +
        `${geoSetup.hashKeys} distinct hash keys) in ${(geoLoadMs / 1000).toFixed(1)} s`,
    );

    const approaches: Array<{ name: GeoApproach; open: () => Runner; loadMs: number }> = [
      {
        name: 'ours',
        open: () => oursRunner(endpoint, ourTable, dataset.now, config.limit),
        loadMs: ourLoadMs,
      },
      {
        name: 'scan',
        open: () => scanRunner(endpoint, ourTable, dataset.now, config.limit),
        loadMs: ourLoadMs,
      },
      { name: 'dynamodb-geo', open: () => geoSetup.runner(dataset.now, config.limit), loadMs: geoLoadMs },
    ];
    const count = (approach: GeoApproach, radius: number) =>
      Math.min(config.queries, config.queriesPer(approach, radius, dataset.lots.length));
    // The same seeded driver positions for every approach; the slow ones take the first n.
    const plans = config.radii.map((radius) => {
      const queries = driverPositions(dataset.lots, config.queries, config.seed + radius).map((center) => ({
        center,
        radius,
      }));
      const needed = Math.max(...approaches.map((a) => count(a.name, radius)));
      return {
        radius,
        queries,
        truths: queries.slice(0, needed).map((q) => computeTruth(dataset, q, config.limit)),
      };
    });
    // Warm-up, identical for every approach on its fresh client: a few 1 km queries elsewhere.
    const warmups = driverPositions(dataset.lots, config.warmup, config.seed - 1).map((center) => ({
      center,
      radius: 1000,
    }));
    // measured[approach][radius] = per repetition, the per-query costs and latencies.
    const measured = new Map<string, QueryCost[][]>();
    const key = (approach: GeoApproach, radius: number) => `${approach}@${radius}`;
    for (let rep = 0; rep < o.repetitions; rep++) {
      // Interleaved: each repetition runs every approach once, so drift on a shared machine hits
      // all of them alike. A fresh client each time: no connection or cache carried over.
      // The order rotates too, so no approach always runs right after the same other one.
      const order = approaches.map((_, i) => approaches[(i + rep) % approaches.length]!);
      for (const approach of order) {
        if (plans.every((plan) => count(approach.name, plan.radius) === 0)) {
          if (rep === 0) o.log(`geo ${tag}: ${approach.name} skipped at this size (0 queries configured)`);
          continue;
        }
        const runner = approach.open();
        try {
          for (const warm of warmups) await runner.run(warm);
          for (const plan of plans) {
            const n = count(approach.name, plan.radius);
            const costs: QueryCost[] = [];
            for (let i = 0; i < n; i++) {
              const query = plan.queries[i]!;
              const t0 = performance.now();
              const { ids, cost } = await runner.run(query);
              costs.push({ ...cost, ms: performance.now() - t0 });
              const expected = plan.truths[i]!.ids;
              if (ids.join(',') !== expected.join(',')) {
                mismatches.push(
                  `${tag} r=${plan.radius} ${approach.name} rep ${rep + 1} query ${i} at ` +
                    `${query.center.lat},${query.center.lon}: got [${ids.join(' ')}], expected [${expected.join(' ')}]`,
                );
              }
            }
            const list = measured.get(key(approach.name, plan.radius)) ?? [];
            list.push(costs);
            measured.set(key(approach.name, plan.radius), list);
            const total = costs.reduce((sum, c) => sum + c.ms, 0);
            o.log(
              `geo ${tag} rep ${rep + 1}/${o.repetitions} r=${plan.radius} ${approach.name}: ` +
                `${n} queries in ${(total / 1000).toFixed(1)} s`,
            );
          }
        } finally {
          await runner.close();
        }
      }
    }

    const rows: GeoRow[] = [];
    for (const plan of plans) {
      const ours = measured.get(key('ours', plan.radius))!;
      for (const approach of approaches) {
        const reps = measured.get(key(approach.name, plan.radius));
        const n = reps?.[0]?.length ?? 0;
        if (!reps || n === 0) continue;
        const used = plan.truths.slice(0, n);
        const inRadius = mean(used.map((t) => t.inRadius));
        const needed = mean(used.map((t) => t.needed));
        const items = spread(reps.map((costs) => mean(costs.map((c) => c.items))));
        const requests = spread(reps.map((costs) => mean(costs.map((c) => c.requests))));
        const units = spread(reps.map((costs) => mean(costs.map((c) => c.units))));
        const rounds = spread(reps.map((costs) => mean(costs.map((c) => c.rounds))));
        const roundsP95 = spread(
          reps.map((costs) =>
            percentile(
              costs.map((c) => c.rounds),
              0.95,
            ),
          ),
        );
        const ms = (costs: QueryCost[]) => costs.map((c) => c.ms);
        const p50 = spread(reps.map((costs) => percentile(ms(costs), 0.5)));
        const p95 = spread(reps.map((costs) => percentile(ms(costs), 0.95)));
        // The slow approaches ran only the first n queries: compare with ours on exactly those.
        const ratio = spread(
          reps.map((costs, rep) => percentile(ms(costs), 0.5) / percentile(ms(ours[rep]!.slice(0, n)), 0.5)),
        );
        rows.push({
          store,
          dataset: dataset.name,
          lots: dataset.lots.length,
          radius: plan.radius,
          approach: approach.name,
          queries: n,
          itemsReadPerQuery: round(items.median, 1),
          lotsInRadiusPerQuery: round(inRadius, 1),
          lotsNeededPerQuery: round(needed, 1),
          readAmplification: round(items.median / needed, 2),
          requestsPerQuery: round(requests.median, 2),
          readUnitsPerQuery: round(units.median, 2),
          roundsPerQuery: round(rounds.median, 2),
          roundsP95: roundsP95.median,
          p50Ms: round(p50.median, 2),
          p95Ms: round(p95.median, 2),
          p50Spread: { median: round(p50.median, 2), min: round(p50.min, 2), max: round(p50.max, 2) },
          p95Spread: { median: round(p95.median, 2), min: round(p95.min, 2), max: round(p95.max, 2) },
          loadSeconds: round(approach.loadMs / 1000, 1),
          ...(approach.name !== 'ours' ? { p50RatioToOurs: round(ratio.median, 1) } : { aggregatesRebuilt }),
          ...(approach.name === 'dynamodb-geo' ? { hashKeyLength: config.hashKeyLength } : {}),
        });
      }
    }
    return rows;
  } finally {
    await deleteTable(admin, ourTable);
    await deleteTable(admin, geoTable);
    admin.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Approaches

/** The project's own path: findNearby (outward search over the geo index, then ranking). */
function oursRunner(endpoint: string, tableName: string, now: number, limit: number): Runner {
  const client = createDynamoClient({ region: 'us-east-1', endpoint, requestTimeoutMs: 30_000 });
  const deps = { lots: new DynamoLots(client, tableName), now: () => now };
  return {
    async run(query) {
      const result = await findNearby(deps, {
        center: query.center,
        radius: query.radius,
        limit,
        ...DRIVER_FILTER,
      });
      const { requests, itemsRead, readUnits, rounds } = result.stats;
      return {
        ids: result.lots.map((lot) => lot.id),
        cost: { items: itemsRead, requests, units: readUnits, rounds },
      };
    },
    close: async () => client.destroy(),
  };
}

/** The baseline without an index: Scan every lot (filtered to the bounding box), rank in memory. */
function scanRunner(endpoint: string, tableName: string, now: number, limit: number): Runner {
  const client = createDynamoClient({ region: 'us-east-1', endpoint, requestTimeoutMs: 60_000 });
  return {
    async run(query) {
      const dLat = (query.radius * 1.01 + 10) / METRES_PER_DEGREE;
      const dLon = dLat / Math.cos((query.center.lat * Math.PI) / 180);
      const cost = { items: 0, requests: 0, units: 0, rounds: 0 };
      const lots: Lot[] = [];
      let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#lat BETWEEN :lat0 AND :lat1 AND #lon BETWEEN :lon0 AND :lon1',
            ExpressionAttributeNames: { '#lat': 'lat', '#lon': 'lon' },
            ExpressionAttributeValues: {
              ':lat0': { N: String(query.center.lat - dLat) },
              ':lat1': { N: String(query.center.lat + dLat) },
              ':lon0': { N: String(query.center.lon - dLon) },
              ':lon1': { N: String(query.center.lon + dLon) },
            },
            ReturnConsumedCapacity: 'TOTAL',
            ExclusiveStartKey: startKey,
          }),
        );
        cost.requests++;
        cost.rounds++; // one page after another
        cost.items += page.ScannedCount ?? 0;
        cost.units += page.ConsumedCapacity?.CapacityUnits ?? 0;
        for (const item of page.Items ?? []) lots.push(fromLotItem(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return { ids: rankIds(query.center, query.radius, limit, now, lots), cost };
    },
    close: async () => client.destroy(),
  };
}

interface GeoLibSetup {
  hashKeys: number;
  runner(now: number, limit: number): Runner;
}

/**
 * dynamodb-geo 0.4.0 on the v2 aws-sdk: its own table (GeoTableUtil's request: hash key = the
 * first `hashKeyLength` digits of the S2 cell id, LSI on the full cell id, projection ALL),
 * loaded with batchWritePoints (25 per request), queried with queryRadius. It returns every
 * lot in the radius; we rank them as the service does.
 */
async function loadDynamodbGeo() {
  // v2 prints a maintenance-mode notice on load; it says nothing about the benchmark.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const { default: DynamoDB } = await import('aws-sdk/clients/dynamodb');
  const geo = await import('dynamodb-geo');

  type V2Client = InstanceType<typeof DynamoDB>;
  const v2Client = (endpoint: string): V2Client =>
    new DynamoDB({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxRetries: 3,
      // Keep-alive, as the v3 client of ours does by default: no new connection per Query.
      httpOptions: { timeout: 60_000, connectTimeout: 2_000, agent: new HttpAgent({ keepAlive: true }) },
    });
  const manager = (client: V2Client, tableName: string, hashKeyLength: number) => {
    const config = new geo.GeoDataManagerConfiguration(client, tableName);
    config.hashKeyLength = hashKeyLength;
    return { config, manager: new geo.GeoDataManager(config) };
  };

  return {
    async load(endpoint: string, tableName: string, hashKeyLength: number, lots: readonly StoredLot[]) {
      const client = v2Client(endpoint);
      const { config, manager: loader } = manager(client, tableName, hashKeyLength);
      const request = geo.GeoTableUtil.getCreateTableRequest(config);
      await client.createTable(request).promise();
      for (let i = 0; i < 200; i++) {
        const { Table } = await client.describeTable({ TableName: tableName }).promise();
        if (Table?.TableStatus === 'ACTIVE') break;
        if (i === 199) throw new Error(`dynamodb-geo's table ${tableName} did not become active within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const hashKeys = new Set<string>();
      const chunks: StoredLot[][] = [];
      for (let i = 0; i < lots.length; i += 25) chunks.push(lots.slice(i, i + 25));
      await mapLimit(chunks, 8, async (chunk) => {
        const inputs = chunk.map((lot) => ({
          RangeKeyValue: { S: lot.id },
          GeoPoint: { latitude: lot.location.lat, longitude: lot.location.lon },
          PutItemInput: {
            Item: projectedItem(lot) as Record<string, import('aws-sdk/clients/dynamodb').AttributeValue>,
          },
        }));
        const result = await loader.batchWritePoints(inputs).promise();
        for (const input of inputs) hashKeys.add(String(input.PutItemInput.Item.hashKey?.N));
        // Unprocessed items (throttling) go round again as plain batch writes, a bounded number of times.
        await retryUnprocessed(
          'loading dynamodb-geo',
          result.UnprocessedItems?.[tableName] ?? [],
          async (pending) => {
            const again = await client.batchWriteItem({ RequestItems: { [tableName]: pending } }).promise();
            return again.UnprocessedItems?.[tableName] ?? [];
          },
        );
      });
      return {
        hashKeys: hashKeys.size,
        runner(now: number, limit: number): Runner {
          const reader = v2Client(endpoint);
          const cost = { items: 0, requests: 0, units: 0, rounds: 0 };
          let inFlight = 0;
          // Count every Query the library sends (it pages and splits ranges on its own), and a
          // round each time one starts while none is in flight.
          const setup = reader.setupRequestListeners.bind(reader);
          reader.setupRequestListeners = (req) => {
            setup(req);
            if ((req as unknown as { operation?: string }).operation !== 'query') return;
            req.on('send', () => {
              if (inFlight++ === 0) cost.rounds++;
            });
            req.on('complete', () => {
              inFlight--;
            });
            req.on('success', (response) => {
              const data = response.data as import('aws-sdk/clients/dynamodb').QueryOutput;
              cost.requests++;
              cost.items += data.ScannedCount ?? 0;
              cost.units += data.ConsumedCapacity?.CapacityUnits ?? 0;
            });
          };
          const { manager: querier } = manager(reader, tableName, hashKeyLength);
          return {
            async run(query) {
              cost.items = 0;
              cost.requests = 0;
              cost.units = 0;
              cost.rounds = 0;
              const items = await querier.queryRadius({
                RadiusInMeter: query.radius,
                CenterPoint: { latitude: query.center.lat, longitude: query.center.lon },
              });
              const lots = items.map((item) => fromLotItem(item as Parameters<typeof fromLotItem>[0]));
              return { ids: rankIds(query.center, query.radius, limit, now, lots), cost: { ...cost } };
            },
            close: async () => {},
          };
        },
      } satisfies GeoLibSetup;
    },
  };
}

/** The attributes our geo index projects (what a driver's answer needs), for dynamodb-geo's items. */
function projectedItem(lot: StoredLot) {
  const full = toLotItem(lot);
  const keep: readonly string[] = GEO_INDEX.nonKeyAttributes;
  return Object.fromEntries(Object.entries(full).filter(([name]) => keep.includes(name)));
}

// ---------------------------------------------------------------------------------------------
// Store plumbing

async function createTable(
  client: DynamoDBClient,
  input: ReturnType<typeof createTableInput>,
): Promise<void> {
  await client.send(new CreateTableCommand(input));
  for (let i = 0; i < 200; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((x) => x.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${input.TableName} did not become active`);
}

async function deleteTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch {
    // Never created (a failure before it), or the store is already gone.
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
