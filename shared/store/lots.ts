// Lot items: definition CRUD, the nearby search over the geo index, and box listings.
// Every search keeps at most `maxInFlight` store requests pending (README "Limits"), and a search
// whose circle meets many partitions first asks the directory of non-empty cells (./cells) which
// of them hold anything, and queries only those.
import { randomBytes } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Lot, LotDefinition } from '../domain/lot';
import type { StoredLot } from '../domain/stored-lot';
import {
  type CellRange,
  coverCircle,
  type LatLon,
  metresBetween,
  partitionOf,
  partitionsMeeting,
} from '../geo';
import { mapLimit, Semaphore } from '../lib/concurrency';
import { ContentionError } from '../use-cases/errors';
import type {
  Bbox,
  CatalogPosition,
  ClusterLot,
  ClusterStats,
  LotsPort,
  NearbyResult,
  NearbySearch,
  PurgeReport,
  SearchPolicy,
  SearchStats,
} from '../use-cases/ports';
import { batchGet } from './batch';
import { type DirectoryState, DynamoCells } from './cells';
import { DynamoClusters } from './clusters';
import { DENSITY_FETCHES_PER_SEARCH, LotDensity, type Schedule, type Step } from './density';
import { translated } from './errors';
import { DynamoForecastModels } from './forecasts';
import { CATALOG_PARTITION, lotKey } from './keys';
import { catalogSortKey, fromLotItem, toLotItem } from './lot-item';
import { queryPages } from './query';
import { DynamoRetiredLots } from './retired-lots';
import { CATALOG_INDEX, GEO_INDEX } from './table-design';

/**
 * Tuned with `npm run bench -- --quick --only geo` (bench/sections/geo.ts; README "Benchmarks")
 * on a clustered synthetic metro and Singapore's 2,111 real car parks, 100 drivers' queries each
 * (limit 10) at 1 km and 5 km. Without the aggregates the search starts at 50 m and grows by the
 * density seen (it read 2.8-10× the lots needed in 7-19 Queries). Sized from the aggregates'
 * positions, a first circle meant to hold limit ÷ (share accepted) × 1.15 lots, read in 8 ranges
 * with gaps under 0.25 ha bridged, finishes 65-85% of queries in one geo round: 1.9-2.0× the lots
 * needed in 8.6-9.8 requests. A margin of 1.25 in 6 ranges read 2.2-2.4× in 6-8 requests; 1.0
 * in 8 ranges needed a third round at p95. A first circle that just missed grows by at least
 * 1.1× (not the 1.4× of later rounds): 1.4× doubled the area for the 30% that needed more.
 */
export const DEFAULT_SEARCH_POLICY: SearchPolicy = {
  initialRadius: 50,
  maxRangesPerRound: 3,
  growthMargin: 1.3,
  readRingsOnly: true,
  useDensity: true,
  densityMargin: 1.15,
  firstRoundRanges: 8,
  sizedMinGrowth: 1.1,
  sizedMinGapSquareMetres: 2500,
};

/** Below this share accepted, a circle is sized as if it were this (1 in 10 lots acceptable). */
const MIN_ACCEPTED_SHARE = 0.1;
/** A circle sized from the aggregates: their distances are approximate (./density), so a margin. */
const SIZED_RADIUS_SLACK = 1.03;
const MIN_SIZED_RADIUS = 10;
/** Growth per round at least (as without the aggregates), so a stale density costs few rounds. */
const MIN_GROWTH = 1.4;

const newStats = (radiusSearched = 0): SearchStats => ({
  requests: 0,
  itemsRead: 0,
  readUnits: 0,
  rounds: 0,
  radiusSearched,
  directoryRequests: 0,
  cellsRead: 0,
  densityRequests: 0,
});

/** A search's steps that wait on the store: each one that sent a request is one round. */
function stepOf(stats: SearchStats): Step {
  return async (work) => {
    const before = stats.requests;
    try {
      return await work();
    } finally {
      if (stats.requests > before) stats.rounds++;
    }
  };
}

/**
 * Store requests one search keeps in flight at most, whatever its radius or latitude. The SDK's
 * socket pool holds 50 per client: eight lets a wide search make progress (a round's Queries
 * take a few round trips, not hundreds at once) and leaves room for every other request the
 * process serves (README "Limits").
 */
export const MAX_IN_FLIGHT_PER_SEARCH = 8;

/**
 * Search Queries in flight per process, all searches together. Below the SDK's 50 sockets, so a
 * burst of wide searches (local mode serves them all from one process) leaves sockets for
 * /health, ingestion and key lookups, and a queued search Query waits here, before its request
 * timeout starts, rather than in the socket pool, where it would time out into a 503. A Lambda
 * serves one request at a time, so there only the per-search cap binds.
 */
export const MAX_SEARCH_REQUESTS_PER_PROCESS = 16;

/**
 * A search whose circle meets more partitions than this reads the directory of non-empty cells
 * first. 16: a 5 km circle meets at most 12-16 partitions up to lat 60 (14 around Birmingham), so
 * the benchmark's 1 km and 5 km searches never read it, while a 50 km one meets ~600 at lat 52.
 */
export const DIRECTORY_AFTER_PARTITIONS = 16;

export interface LotsOptions {
  /** Store requests in flight per search (default MAX_IN_FLIGHT_PER_SEARCH). */
  maxInFlight?: number;
  /** Search Queries in flight in this process (default MAX_SEARCH_REQUESTS_PER_PROCESS). */
  maxSearchRequestsPerProcess?: number;
  /** Id source for new lots' generations (injected so tests can name them). */
  newGeneration?: () => string;
  /** Clock of the density cache's time to live (./density); the wall clock by default. */
  clock?: () => number;
}

/** Lost races on one lot before giving up with a 503 (about 2 s of jittered backoff in all). */
const MAX_PUT_ATTEMPTS = 25;

/** A fresh generation for a lot being created: random, so two creations never share one. */
export const randomGeneration = () => randomBytes(12).toString('base64url');

/** Deleted lots' bays and rollups are purged this long after the DELETE (README "Limits"). */
export const RETIRED_GRACE_MS = 15 * 60_000;

export class DynamoLots implements LotsPort {
  private readonly retired: DynamoRetiredLots;
  private readonly models: DynamoForecastModels;
  private readonly cells: DynamoCells;
  private readonly clusters: DynamoClusters;
  private readonly density: LotDensity;
  /** Share of the lots read that recent searches accepted (./density sizes circles by it). */
  private acceptedShare = 1;
  private readonly maxInFlight: number;
  /** Shared by every search of this process (one DynamoLots per process: shared/dependencies.ts). */
  private readonly searchSlots: Semaphore;
  private readonly newGeneration: () => string;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: LotsOptions = {},
  ) {
    this.retired = new DynamoRetiredLots(client, tableName);
    this.models = new DynamoForecastModels(client, tableName);
    this.newGeneration = options.newGeneration ?? randomGeneration;
    this.cells = new DynamoCells(client, tableName);
    this.clusters = new DynamoClusters(client, tableName);
    this.density = new LotDensity(client, tableName, options.clock);
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT_PER_SEARCH;
    this.searchSlots = new Semaphore(options.maxSearchRequestsPerProcess ?? MAX_SEARCH_REQUESTS_PER_PROCESS);
  }

  /**
   * How one search runs its store requests: at most maxInFlight of its own at once, each in a
   * process-wide slot that searches take in turn (so a wide search's backlog does not queue an
   * ordinary one behind it).
   */
  private scheduler(): Schedule {
    const search = {};
    return (items, fn) =>
      mapLimit(items, this.maxInFlight, (item) => this.searchSlots.run(() => fn(item), search));
  }

  async get(id: string, consistent = false): Promise<StoredLot | null> {
    const { Item } = await translated('get lot', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: lotKey(id).pk }, sk: { S: lotKey(id).sk } },
          ConsistentRead: consistent,
        }),
      ),
    );
    return Item ? fromLotItem(Item) : null;
  }

  /**
   * Writes `lot` if the stored item is still the same incarnation (`generation`) at
   * `expectedVersion`; 0 = must not exist, and then the lot gets a fresh generation. Returns false
   * when another writer got there first: re-read and try again.
   */
  async putIfVersion(lot: StoredLot, expectedVersion: number): Promise<boolean> {
    // The generation takes part in the condition because versions restart at 1 when a lot is
    // re-created: a writer that read the old lot must not overwrite a new one that reached the
    // same version meanwhile.
    const creating = expectedVersion === 0;
    const item = { ...lot, generation: creating ? this.newGeneration() : lot.generation };
    const sameIncarnation =
      lot.generation === '' ? 'attribute_not_exists(#generation)' : '#generation = :generation';
    try {
      await translated('put lot', () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: toLotItem({ ...item, version: expectedVersion + 1 }),
            ...(creating
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: `#version = :expected AND ${sameIncarnation}`,
                  ExpressionAttributeNames: { '#version': 'version', '#generation': 'generation' },
                  ExpressionAttributeValues: {
                    ':expected': { N: String(expectedVersion) },
                    ...(lot.generation === '' ? {} : { ':generation': { S: lot.generation } }),
                  },
                }),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency: `change` gets the current lot (or null)
   * and returns the lot to write, or null to write nothing. Retries on a lost race.
   */
  async update<R>(
    id: string,
    change: (current: StoredLot | null) => Promise<{ lot: StoredLot | null; result: R }>,
  ): Promise<R> {
    for (let attempt = 0; attempt < MAX_PUT_ATTEMPTS; attempt++) {
      const current = await this.get(id, true);
      const { lot, result } = await change(current);
      if (lot === null) return result;
      // The directory lists a partition before any lot is in it (./cells): a create or a move
      // to another partition touches the new one first. A lot that stays put needs nothing.
      const partition = partitionOf(lot.location);
      if (current === null || partitionOf(current.location) !== partition) {
        await this.cells.touch(partition, lot.updatedAt);
      }
      // The incarnation is the one read, whatever `change` returned.
      const fenced = { ...lot, generation: current?.generation ?? '' };
      if (await this.putIfVersion(fenced, current?.version ?? 0)) return result;
      // Jittered backoff so concurrent writers of one hot lot spread out.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(150, 4 * 2 ** attempt)));
    }
    throw new ContentionError(`too many concurrent writers on lot ${id}`);
  }

  /**
   * Deletes the lot item; false if there is none. Its bays and rollups stay under its data scope,
   * which no later lot with this id reaches; the scope is marked first, so `purgeRetired` finds
   * it even if this call dies before the delete.
   */
  async delete(id: string, now: number): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_PUT_ATTEMPTS; attempt++) {
      const current = await this.get(id, true);
      if (current === null) return false;
      await this.retired.mark(current, now);
      try {
        await translated('delete lot', () =>
          this.client.send(
            new DeleteItemCommand({
              TableName: this.tableName,
              Key: { pk: { S: lotKey(id).pk }, sk: { S: lotKey(id).sk } },
              // Only the incarnation just marked: another may have replaced it since it was read.
              ConditionExpression:
                current.generation === ''
                  ? 'attribute_exists(pk) AND attribute_not_exists(#generation)'
                  : '#generation = :generation',
              ExpressionAttributeNames: { '#generation': 'generation' },
              ...(current.generation === ''
                ? {}
                : { ExpressionAttributeValues: { ':generation': { S: current.generation } } }),
            }),
          ),
        );
        // Its forecast model is keyed by the id alone (./forecasts): a lot created later under
        // the id must not answer from it. Only this incarnation's (the purge retries it).
        await this.models.remove(id, current.generation);
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new ContentionError(`lot ${id} kept being replaced while it was deleted`);
  }

  /**
   * Reclaims deleted lots' bays and rollups, at most `maxItems` items per call (the rest next
   * time). A scope is purged only `graceMs` after its DELETE, so requests that were still writing
   * to it then (bounded by the function timeout) have finished. A marker whose lot still exists
   * with that generation belongs to a DELETE that never completed: it is dropped after the grace.
   */
  async purgeRetired(options: { now: number; maxItems: number; graceMs?: number }): Promise<PurgeReport> {
    const graceMs = options.graceMs ?? RETIRED_GRACE_MS;
    const report: PurgeReport = { purged: 0, itemsDeleted: 0, remaining: 0 };
    const scopes = await this.retired.list(100);
    for (const retired of scopes) {
      const budget = options.maxItems - report.itemsDeleted;
      if (options.now - retired.retiredAt < graceMs || budget <= 0) {
        report.remaining++;
        continue;
      }
      const live = await this.get(retired.id, true);
      if (live !== null && live.generation === retired.generation) {
        await this.retired.unmark(retired.scope);
        continue;
      }
      const { deleted, done } = await this.retired.purge(retired.scope, budget);
      report.itemsDeleted += deleted;
      if (done) {
        await this.models.remove(retired.id, retired.generation); // if the DELETE's own removal failed
        await this.retired.unmark(retired.scope);
        report.purged++;
      } else report.remaining++;
    }
    return report;
  }

  /**
   * Outward search (README "Nearby query"): read the cells of a first circle sized by where the
   * coarse-cell aggregates place enough lots (./density); if it does not yet hold `limit`
   * acceptable lots, grow the circle and read only the new ring. Every lot within the radius
   * searched is read, so the best `limit` within it are the best overall, whatever the density
   * said.
   */
  async nearby(search: NearbySearch): Promise<NearbyResult> {
    const stats = newStats();
    const step = stepOf(stats);
    const read: CellRange[] = [];
    const seen = new Map<string, Lot>();
    const policy = { ...DEFAULT_SEARCH_POLICY, ...search.policy };
    const schedule = this.scheduler();
    const empty = new EmptyPartitions(this.cells, search.center, search.radius, stats, schedule, step);
    // Lots a circle should hold for `limit` of them to be accepted, at the share accepted seen.
    const lotsFor = (share: number) =>
      Math.ceil((search.limit / Math.max(MIN_ACCEPTED_SHARE, share)) * policy.densityMargin);
    const budget = { fetches: DENSITY_FETCHES_PER_SEARCH };
    const sized = async (lots: number) => {
      if (!policy.useDensity) return undefined;
      const metres = await this.density.radiusHolding(
        search.center,
        lots,
        search.radius,
        stats,
        step,
        schedule,
        budget,
      );
      return metres === undefined ? undefined : Math.max(MIN_SIZED_RADIUS, metres * SIZED_RADIUS_SLACK);
    };
    const firstSized = await sized(lotsFor(this.acceptedShare));
    let radius = Math.min(search.radius, firstSized ?? policy.initialRadius);
    for (let round = 0; ; round++) {
      const skipPartitions = await empty.get();
      const ranges = coverCircle(search.center, radius, {
        ...(policy.readRingsOnly ? { exclude: read } : {}),
        ...(skipPartitions ? { skipPartitions } : {}),
        maxRanges:
          round === 0 && firstSized !== undefined ? policy.firstRoundRanges : policy.maxRangesPerRound,
        ...(firstSized !== undefined ? { minGapSquareMetres: policy.sizedMinGapSquareMetres } : {}),
      });
      read.push(...ranges);
      const pages = await step(() => schedule(ranges, (range) => this.queryRange(range, stats)));
      for (const lot of pages.flat()) seen.set(lot.id, lot);
      stats.radiusSearched = radius;
      let inside = 0;
      let matches = 0;
      for (const lot of seen.values()) {
        if (metresBetween(search.center, lot.location) > radius) continue;
        inside++;
        if (search.accept(lot)) matches++;
      }
      if (radius >= search.radius || matches >= search.limit) {
        this.learnAcceptedShare(matches, inside, search.limit);
        break;
      }
      let next = nextRadius(radius, matches, search.limit, policy.growthMargin);
      if (firstSized !== undefined && inside > 0) {
        // The aggregates again, for the share accepted here: at least 1.1× after the first
        // circle, 1.4× after later ones (rounds stay few); with nothing found where they placed
        // lots (stale), the density-free growth above.
        const resized = await sized(lotsFor(matches / inside));
        const least = round === 0 ? policy.sizedMinGrowth : MIN_GROWTH;
        if (resized !== undefined) next = Math.max(radius * least, resized);
      }
      radius = Math.min(search.radius, next);
    }
    return { candidates: [...seen.values()], stats };
  }

  /** A running share of the lots read that searches accepted: the prior for sizing first circles. */
  private learnAcceptedShare(matches: number, inside: number, limit: number): void {
    if (inside < limit) return; // too few to say anything
    this.acceptedShare = 0.7 * this.acceptedShare + 0.3 * (matches / inside);
  }

  /**
   * Every lot (or a zone's), via the keys-only catalog index and consistent batch reads; with
   * `limit`, the catalog is read only until that many ids are found (the lots first by catalog key).
   */
  async list(zone?: string, limit = Number.POSITIVE_INFINITY): Promise<StoredLot[]> {
    const ids: string[] = [];
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        IndexName: CATALOG_INDEX.indexName,
        KeyConditionExpression:
          zone === undefined ? '#cpk = :all' : '#cpk = :all AND begins_with(#csk, :zone)',
        ExpressionAttributeNames: {
          '#cpk': CATALOG_INDEX.partitionKey.name,
          ...(zone === undefined ? {} : { '#csk': CATALOG_INDEX.sortKey.name }),
        },
        ExpressionAttributeValues: {
          ':all': { S: CATALOG_PARTITION },
          ...(zone === undefined ? {} : { ':zone': { S: `${zone}#` } }),
        },
        ...(Number.isFinite(limit) ? { Limit: limit } : {}),
      },
      'catalog',
    )) {
      for (const item of page.Items ?? []) ids.push((item.pk?.S ?? '').slice('LOT#'.length));
      if (ids.length >= limit) break;
    }
    return this.getMany(ids.slice(0, limit));
  }

  async listPage(
    limit: number,
    after?: CatalogPosition,
  ): Promise<{ lots: StoredLot[]; next?: CatalogPosition }> {
    // KEYS_ONLY catalog entries are ~100 bytes, so `limit` of them fit one Query page on AWS. DynamoDB
    // Local counts the lots' whole items against a page's 1 MB (about 140 lots of 7 KB), so the
    // page is filled by further Queries for the rest: at most `limit` entries in all.
    const entries: { id: string; csk: string }[] = [];
    let start: Record<string, AttributeValue> | undefined =
      after === undefined
        ? undefined
        : marshall({
            [CATALOG_INDEX.partitionKey.name]: CATALOG_PARTITION,
            [CATALOG_INDEX.sortKey.name]: catalogSortKey(after.zone || undefined, after.id),
            ...lotKey(after.id),
          });
    let more = true;
    while (more && entries.length < limit) {
      const exclusiveStart = start;
      const { Items, LastEvaluatedKey } = await translated('catalog page', () =>
        this.client.send(this.catalogQuery(limit - entries.length, exclusiveStart)),
      );
      for (const item of Items ?? []) {
        entries.push({
          id: (item.pk?.S ?? '').slice('LOT#'.length),
          csk: item[CATALOG_INDEX.sortKey.name]?.S ?? '',
        });
      }
      start = LastEvaluatedKey;
      more = LastEvaluatedKey !== undefined;
    }
    const last = entries.at(-1);
    const lots = await this.getMany(entries.map((e) => e.id));
    if (!more || last === undefined) return { lots };
    return { lots, next: { zone: last.csk.slice(0, last.csk.length - last.id.length - 1), id: last.id } };
  }

  /** Lots by id (missing ones left out), strongly consistent, 100 per BatchGetItem, unprocessed keys retried. */
  async getMany(ids: readonly string[]): Promise<StoredLot[]> {
    const lots = (await this.batchGet(ids)).map(fromLotItem);
    return lots.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Lot items by id (only `attribute` with one given), strongly consistent, unprocessed keys retried. */
  private batchGet(ids: readonly string[], attribute?: string): Promise<Record<string, AttributeValue>[]> {
    const keys = ids.map((id) => marshall(lotKey(id)));
    return batchGet(this.client, this.tableName, keys, 'get lots', {
      ...(attribute === undefined ? {} : { attributes: [attribute] }),
    });
  }

  /** True when at least one lot exists (local mode seeds demo lots into an empty store). */
  async any(): Promise<boolean> {
    const page = await translated('catalog', () => this.client.send(this.catalogQuery(1)));
    return (page.Items ?? []).length > 0;
  }

  /** A page of at most `limit` catalog entries (KEYS_ONLY), in catalog order (zone, then id). */
  private catalogQuery(limit: number, exclusiveStart?: Record<string, AttributeValue>): QueryCommand {
    return new QueryCommand({
      TableName: this.tableName,
      IndexName: CATALOG_INDEX.indexName,
      KeyConditionExpression: '#cpk = :all',
      ExpressionAttributeNames: { '#cpk': CATALOG_INDEX.partitionKey.name },
      ExpressionAttributeValues: { ':all': { S: CATALOG_PARTITION } },
      Limit: limit,
      ...(exclusiveStart === undefined ? {} : { ExclusiveStartKey: exclusiveStart }),
    });
  }

  /** Lots inside a circle, unranked (used by box listings, which filter by the box). */
  async inCircle(center: LatLon, radius: number): Promise<Lot[]> {
    return (await this.inCircleWithStats(center, radius)).candidates;
  }

  /** inCircle with what it cost (tests, benchmarks). */
  async inCircleWithStats(center: LatLon, radius: number): Promise<NearbyResult> {
    const stats = newStats(radius);
    const step = stepOf(stats);
    const schedule = this.scheduler();
    const empty = new EmptyPartitions(this.cells, center, radius, stats, schedule, step);
    const skipPartitions = await empty.get();
    const ranges = coverCircle(center, radius, skipPartitions ? { skipPartitions } : {});
    const pages = await step(() => schedule(ranges, (range) => this.queryRange(range, stats)));
    return { candidates: pages.flat(), stats };
  }

  /** Clusters of a box from the coarse-cell aggregates (./clusters). */
  clustersInBox(box: Bbox, precision: number, stats: ClusterStats) {
    return this.clusters.inBox(box, precision, stats);
  }

  /** Rebuilds the coarse-cell aggregates (./clusters). */
  rebuildClusters(lots: AsyncIterable<readonly ClusterLot[]>, now: number) {
    return this.clusters.rebuild(lots, now);
  }

  /** One step of filling the cell directory of a table that predates it (./cells `fill`). */
  async fillCellDirectory(now: () => number): Promise<DirectoryState> {
    return this.cells.fill(now, () => this.partitionsOfAllLots());
  }

  /** Removes directory cells that hold no lot any more (./cells `prune`). */
  async pruneCellDirectory(now: number, options: { slots?: number } = {}) {
    return this.cells.prune(now, (partition) => this.partitionHoldsLot(partition), options);
  }

  /** For a table created empty: the directory is complete from the start. */
  async markCellDirectoryComplete(): Promise<void> {
    await this.cells.markComplete();
  }

  /** The geo-index partition of every lot, a catalog page at a time. */
  private async *partitionsOfAllLots(): AsyncGenerator<string[]> {
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        IndexName: CATALOG_INDEX.indexName,
        KeyConditionExpression: '#cpk = :all',
        ExpressionAttributeNames: { '#cpk': CATALOG_INDEX.partitionKey.name },
        ExpressionAttributeValues: { ':all': { S: CATALOG_PARTITION } },
      },
      'catalog',
    )) {
      const ids = (page.Items ?? []).map((item) => (item.pk?.S ?? '').slice('LOT#'.length));
      const gpk = GEO_INDEX.partitionKey.name;
      yield (await this.batchGet(ids, gpk)).flatMap((item) => (item[gpk]?.S ? [item[gpk].S] : []));
    }
  }

  /** Whether the geo index shows any lot in `partition` (eventually consistent, like every search). */
  private async partitionHoldsLot(partition: string): Promise<boolean> {
    const page = await translated('cell check', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GEO_INDEX.indexName,
          KeyConditionExpression: '#gpk = :partition',
          ExpressionAttributeNames: { '#gpk': GEO_INDEX.partitionKey.name },
          ExpressionAttributeValues: { ':partition': { S: partition } },
          Select: 'COUNT',
          Limit: 1,
        }),
      ),
    );
    return (page.Count ?? 0) > 0;
  }

  private async queryRange(range: CellRange, stats: SearchStats): Promise<Lot[]> {
    const lots: Lot[] = [];
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        IndexName: GEO_INDEX.indexName,
        KeyConditionExpression: '#gpk = :partition AND #gsk BETWEEN :lo AND :hi',
        ExpressionAttributeNames: { '#gpk': GEO_INDEX.partitionKey.name, '#gsk': GEO_INDEX.sortKey.name },
        ExpressionAttributeValues: {
          ':partition': { S: range.partition },
          ':lo': { S: range.lo },
          ':hi': { S: range.hi },
        },
        ReturnConsumedCapacity: 'TOTAL',
      },
      'nearby query',
    )) {
      stats.requests++;
      stats.itemsRead += page.ScannedCount ?? 0;
      stats.readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const item of page.Items ?? []) lots.push(fromLotItem(item));
    }
    return lots;
  }
}

/**
 * What one search knows about which partitions are empty. A search whose circle meets at most
 * DIRECTORY_AFTER_PARTITIONS partitions never asks (it reads them all, as every search did before
 * the directory existed); a wider one reads the directory once, before its first round, for every
 * partition of its circle, and every round then skips the partitions the directory does not list.
 * Reading it first rather than when a round grows wide spares a search that finds nothing the
 * Queries of its early rings, which in open country are all of empty partitions. A table whose
 * directory is not complete (./cells) is read in full.
 */
class EmptyPartitions {
  private empty: Promise<ReadonlySet<string> | undefined> | null = null;

  constructor(
    private readonly cells: DynamoCells,
    private readonly center: LatLon,
    private readonly radius: number,
    private readonly stats: SearchStats,
    private readonly schedule: Schedule,
    private readonly step: Step,
  ) {}

  /** The partitions every round of the search may skip (undefined: none). */
  get(): Promise<ReadonlySet<string> | undefined> {
    this.empty ??= this.read();
    return this.empty;
  }

  private async read(): Promise<ReadonlySet<string> | undefined> {
    // Every round's cover lies in these partitions (the same centre, a radius no larger).
    const all = partitionsMeeting(this.center, this.radius);
    if (all.length <= DIRECTORY_AFTER_PARTITIONS) return undefined;
    if (!(await this.step(() => this.cells.isComplete(this.stats)))) return undefined;
    const listed = await this.step(() => this.cells.nonEmpty(all, this.stats, this.schedule));
    return new Set(all.filter((p) => !listed.has(p)));
  }
}

/**
 * Next circle: if `matches` acceptable lots lie within `radius`, about limit/matches times
 * the area should hold `limit` (times the margin); grow at least 1.4× and at most 3× per round.
 */
function nextRadius(radius: number, matches: number, limit: number, margin: number): number {
  const factor = matches === 0 ? 3 : Math.sqrt(limit / matches) * margin;
  return radius * Math.min(3, Math.max(1.4, factor));
}

export type { LotDefinition };
