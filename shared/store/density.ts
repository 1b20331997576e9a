// Where the lots are, for sizing a nearby search's first circle (README "Nearby query"): the
// positions the coarse-cell aggregates keep per geohash-5 cell (./clusters, rebuilt by the
// scheduled job), cached in this process for DENSITY_TTL_MS so that most searches pay no round
// for them. The cache may be stale (lots created or deleted since the rebuild, a build replaced):
// the search still reads every lot of each circle it queries and grows until it holds its answer,
// so a stale or missing density only costs reads or a round, never a wrong answer.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  kthNearestMetres,
  type LatLon,
  NORTH_POLAR_PARTITION,
  partitionsMeeting,
  SOUTH_POLAR_PARTITION,
} from '../geo';
import type { SearchStats } from '../use-cases/ports';
import { batchGet } from './batch';
import { FINEST_CLUSTER_PRECISION } from './clusters';
import { translated } from './errors';
import { CLUSTER_STATE_KEY, clusterPartKey, clusterPk } from './keys';
import { queryPages } from './query';

/** How long this process trusts the build it read; the job rebuilds every few minutes. */
export const DENSITY_TTL_MS = 60_000;
/** Cells fetched in one round at most (one BatchGetItem): a 5 km circle meets 12-16 up to lat 60. */
export const MAX_DENSITY_CELLS = 16;
/** Positions cached per process at most (16 bytes each: 6.4 MB), the oldest cells dropped first. */
export const MAX_CACHED_POINTS = 400_000;
/**
 * Part items (dense cells' positions, ./clusters) one fetch reads at most: 16 × 256 KB, about
 * 100,000 positions. Past it the fetch gives up (no density, the search grows as without one):
 * cells that dense hold a search's lots within a few hundred metres anyway.
 */
export const MAX_DENSITY_PARTS = 16;
/** The first cells fetched are those meeting this circle (or the search's, if smaller). */
const PROBE_METRES = 1000;

/** Runs one step of a search that waits on the store (counted as a round when it sent anything). */
export type Step = <T>(work: () => Promise<T>) => Promise<T>;
/** Runs store requests within the search's bounds on requests in flight. */
export type Schedule = <T, R>(items: readonly T[], fn: (item: T) => Promise<R>) => Promise<R[]>;

/** Fetches of positions one search may still make (DENSITY_FETCHES_PER_SEARCH to start with). */
export interface DensityBudget {
  fetches: number;
}

/** Position fetches per search at most: the cells near its centre, then those its estimate reaches. */
export const DENSITY_FETCHES_PER_SEARCH = 2;

interface Build {
  id: string | null;
  readAt: number;
}

export class LotDensity {
  private build: Build | null = null;
  /** The read of the build in flight, shared by the searches that need it meanwhile. */
  private buildRead: Promise<string | null> | null = null;
  /** Positions per cell of `build` (flat lat, lon pairs; empty for a cell with no lots). */
  private readonly cells = new Map<string, Float64Array>();
  private cachedPoints = 0;
  /**
   * Part items of the dense cells of `build` whose positions were not fetched (too many together):
   * the verdict is kept with the build, so a search there does not pay a BatchGetItem to reach it again.
   */
  private readonly tooDenseParts = new Map<string, number>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: () => number = Date.now,
    /** MAX_DENSITY_PARTS; smaller in tests, which cannot afford cells of 100,000 lots. */
    private readonly maxParts = MAX_DENSITY_PARTS,
  ) {}

  /**
   * The radius (metres, at most `maxRadius`) within which the aggregates place `k` lots around
   * `center`; `maxRadius` when they place fewer; undefined when there are no aggregates (never
   * rebuilt) or the circle reaches a polar partition (whose cells the aggregates key otherwise).
   */
  async radiusHolding(
    center: LatLon,
    k: number,
    maxRadius: number,
    stats: SearchStats,
    step: Step,
    schedule: Schedule,
    budget: DensityBudget,
  ): Promise<number | undefined> {
    const build = await this.currentBuild(stats, step, schedule);
    if (build === null) return undefined;
    let probe = Math.min(maxRadius, PROBE_METRES);
    let estimate = Number.POSITIVE_INFINITY;
    // Two fetches at most: the cells near the centre, then those the estimate reaches. Points of
    // cells not fetched can only be farther than the probe, so the estimate is exact once it lies
    // within the probe, and too large (never too small) otherwise.
    for (let fetch = 0; fetch < 2; fetch++) {
      const cells = partitionsMeeting(center, probe);
      if (cells.includes(NORTH_POLAR_PARTITION) || cells.includes(SOUTH_POLAR_PARTITION)) return undefined;
      if (cells.length > MAX_DENSITY_CELLS) break;
      if (cells.some((cell) => !this.cells.has(cell))) {
        if (this.knownTooDense(cells)) return undefined;
        // Out of fetches for this search: what is not cached would make the estimate a guess.
        if (budget.fetches <= 0) return undefined;
        budget.fetches--;
        if (!(await this.fetch(build, cells, stats, step, schedule))) return undefined;
      }
      const known = cells.flatMap((cell) => {
        const points = this.cells.get(cell);
        return points ? [points] : [];
      });
      estimate = Math.min(estimate, kthNearestMetres(center, known, k));
      if (estimate <= probe || probe >= maxRadius) break;
      probe = Math.min(maxRadius, estimate);
    }
    return Math.min(maxRadius, estimate);
  }

  /**
   * The aggregates' build, re-read once DENSITY_TTL_MS old (eventually consistent: a hint), within
   * the search's bounds on requests in flight; searches that need it meanwhile wait for the same read.
   */
  private async currentBuild(stats: SearchStats, step: Step, schedule: Schedule): Promise<string | null> {
    const now = this.clock();
    if (this.build && now - this.build.readAt < DENSITY_TTL_MS) return this.build.id;
    if (this.buildRead) {
      stats.rounds++; // it waits on another search's read all the same
      return this.buildRead;
    }
    this.buildRead = step(async () => {
      const [out] = await schedule([CLUSTER_STATE_KEY], (key) => {
        stats.requests++;
        stats.densityRequests++;
        return translated('cluster state', () =>
          this.client.send(
            new GetItemCommand({
              TableName: this.tableName,
              Key: { pk: { S: key.pk }, sk: { S: key.sk } },
              ReturnConsumedCapacity: 'TOTAL',
            }),
          ),
        );
      });
      stats.readUnits += out?.ConsumedCapacity?.CapacityUnits ?? 0;
      const id = out?.Item?.build?.S || null;
      if (id !== this.build?.id) {
        this.cells.clear();
        this.tooDenseParts.clear();
        this.cachedPoints = 0;
      }
      this.build = { id, readAt: now };
      return id;
    }).finally(() => {
      this.buildRead = null;
    });
    return this.buildRead;
  }

  /** Whether the cells not cached yet are known to hold more parts than one fetch reads. */
  private knownTooDense(cells: readonly string[]): boolean {
    let parts = 0;
    for (const cell of cells) if (!this.cells.has(cell)) parts += this.tooDenseParts.get(cell) ?? 0;
    return parts > this.maxParts;
  }

  /**
   * Reads the cells not cached yet, in one BatchGetItem (at most MAX_DENSITY_CELLS keys), then,
   * for dense cells only, their part items: one more round, one Query per dense cell (each of
   * about ceil(parts / 3) pages), at most MAX_DENSITY_PARTS parts in all. False when the dense
   * cells hold more parts than that (nothing of them cached but that verdict, for this build).
   */
  private async fetch(
    build: string,
    cells: readonly string[],
    stats: SearchStats,
    step: Step,
    schedule: Schedule,
  ): Promise<boolean> {
    const missing = cells.filter((cell) => !this.cells.has(cell));
    if (missing.length === 0) return true;
    const pk = clusterPk(build, FINEST_CLUSTER_PRECISION);
    const counted = { readUnits: 0 };
    const items = await step(async () => {
      const [found] = await schedule([missing], (keys) => {
        stats.requests++;
        stats.densityRequests++;
        return batchGet(
          this.client,
          this.tableName,
          keys.map((sk) => ({ pk: { S: pk }, sk: { S: sk } })),
          'lot density',
          { attributes: ['sk', 'pts', 'np'], consistent: false, stats: counted },
        );
      });
      return found ?? [];
    });
    stats.readUnits += counted.readUnits;
    const byCell = new Map(items.map((item) => [item.sk?.S ?? '', [parsePoints(item.pts?.S ?? '')]]));
    const dense = items.filter((item) => Number(item.np?.N ?? 0) > 0).map((item) => item.sk?.S ?? '');
    if (dense.length > 0) {
      const parts = items.reduce((n, item) => n + Number(item.np?.N ?? 0), 0);
      if (parts > this.maxParts) {
        if (build === this.build?.id) {
          for (const item of items) {
            const np = Number(item.np?.N ?? 0);
            if (np > 0) this.tooDenseParts.set(item.sk?.S ?? '', np);
          }
        }
        return false;
      }
      const read = await step(() => schedule(dense, (cell) => this.parts(build, cell, stats)));
      for (const [i, cell] of dense.entries()) byCell.set(cell, read[i] ?? []);
    }
    if (build !== this.build?.id) return true; // another search saw a new build meanwhile
    for (const cell of missing) this.remember(cell, concat(byCell.get(cell) ?? []));
    return true;
  }

  /** The positions of a dense cell's part items, in one Query (eventually consistent, a hint). */
  private async parts(build: string, cell: string, stats: SearchStats): Promise<Float64Array[]> {
    const key = clusterPartKey(build, cell, '');
    const out: Float64Array[] = [];
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: key.pk }, ':prefix': { S: key.sk } },
        ReturnConsumedCapacity: 'TOTAL',
      },
      'lot density',
    )) {
      stats.requests++;
      stats.densityRequests++;
      stats.readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const item of page.Items ?? []) out.push(parsePoints(item.pts?.S ?? ''));
    }
    return out;
  }

  private remember(cell: string, points: Float64Array): void {
    this.cells.set(cell, points);
    this.cachedPoints += points.length / 2;
    for (const [oldest, old] of this.cells) {
      if (this.cachedPoints <= MAX_CACHED_POINTS || oldest === cell) break;
      this.cells.delete(oldest);
      this.cachedPoints -= old.length / 2;
    }
  }
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  if (arrays.length === 1) return arrays[0]!;
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The aggregates' `pts` ("lat,lon,capacity,free;…") as flat lat, lon pairs. */
function parsePoints(text: string): Float64Array {
  if (text === '') return new Float64Array(0);
  const entries = text.split(';');
  const out = new Float64Array(entries.length * 2);
  let i = 0;
  for (const entry of entries) {
    const comma = entry.indexOf(',');
    const second = entry.indexOf(',', comma + 1);
    const lat = Number(entry.slice(0, comma));
    const lon = Number(entry.slice(comma + 1, second < 0 ? undefined : second));
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    out[i++] = lat;
    out[i++] = lon;
  }
  return out.subarray(0, i);
}
