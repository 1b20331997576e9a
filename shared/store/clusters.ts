// Coarse-cell aggregates for boxes too large to list lot by lot (README "Boxes of any size"). The
// scheduled job rebuilds them from the geo index: per geohash cell of precision 1..5 that holds a
// lot, one item with the count, capacity, free spaces, the sum of positions (for the centroid) and
// the bounding box of its lots; a precision-5 item (~5 km) also lists its lots' positions, so the
// cells a box's edge cuts through are counted exactly. A dense cell's positions would not fit in
// one item (DynamoDB's 400 KB): up to MAX_POSITIONS_BYTES they are in the cell's item, beyond
// that they are split over part items in a partition of their own (keys.clusterPartKey), which
// only the readers that need positions read: the edge counting here and ./density.
//
// A box is answered from at most MAX_CLUSTERS cells of one precision: cells it holds whole count as
// they are; a cell its edge cuts is refined through its children down to precision 5, where the
// positions inside the box are counted. So the cost grows with the cells of the answer and the
// non-empty cells along the box's edge, never with the lots inside it.
//
// Builds are versioned: a rebuild writes under a new build id, then points the state item at it,
// then deletes the build before the previous one, so a reader that read the state just before a
// switch still finds its build whole.
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { Pacer } from '../domain/pacer';
import { boxHoldsCell, boxHoldsPoint, cellsMeeting, type GeoBox, geohashBounds } from '../geo/box-cells';
import { BASE32, geohashEncode } from '../geo/geohash';
import { mapLimit } from '../lib/concurrency';
import type { Cluster, ClusterAnswer, ClusterLot } from '../use-cases/ports';
import { batchWrite } from './batch';
import { translated } from './errors';
import { CLUSTER_STATE_KEY, clusterPartKey, clusterPk } from './keys';
import { queryPages } from './query';

/** Finest precision kept: geohash-5, the geo index's partitions (~5 km). */
export const FINEST_CLUSTER_PRECISION = 5;
/**
 * Packed positions one item holds at most (ASCII, so characters are bytes): with its keys and
 * other attributes an item stays under MAX_CLUSTER_ITEM_BYTES. A precision-5 cell whose positions
 * are longer keeps none itself and lists them in ceil(length / this) part items instead.
 */
export const MAX_POSITIONS_BYTES = 256 * 1024;
/** Every item of a build stays under this (DynamoDB rejects items over 400 KB): README "Limits". */
export const MAX_CLUSTER_ITEM_BYTES = 300 * 1024;

interface Aggregate {
  lots: number;
  capacity: number;
  free: number;
  sumLat: number;
  sumLon: number;
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
  /** Packed positions (precision 5 only), when they fit in the cell's item. */
  points?: string[];
  /** How many part items hold the positions instead (precision 5, dense cells only). */
  parts?: number;
}

const empty = (): Aggregate => ({
  lots: 0,
  capacity: 0,
  free: 0,
  sumLat: 0,
  sumLon: 0,
  minLat: 90,
  maxLat: -90,
  minLon: 180,
  maxLon: -180,
});

function add(into: Aggregate, a: Omit<Aggregate, 'points' | 'parts'>): void {
  into.lots += a.lots;
  into.capacity += a.capacity;
  into.free += a.free;
  into.sumLat += a.sumLat;
  into.sumLon += a.sumLon;
  into.minLat = Math.min(into.minLat, a.minLat);
  into.maxLat = Math.max(into.maxLat, a.maxLat);
  into.minLon = Math.min(into.minLon, a.minLon);
  into.maxLon = Math.max(into.maxLon, a.maxLon);
}

const pointAggregate = (lot: ClusterLot): Aggregate => ({
  lots: 1,
  capacity: lot.capacity,
  free: lot.free,
  sumLat: lot.lat,
  sumLon: lot.lon,
  minLat: lot.lat,
  maxLat: lot.lat,
  minLon: lot.lon,
  maxLon: lot.lon,
});

export interface ClusterReadStats {
  requests: number;
  itemsRead: number;
}

export class DynamoClusters {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Rebuilds every aggregate from `lots` (one pass), under a new build. */
  async rebuild(
    lots: AsyncIterable<readonly ClusterLot[]>,
    now: number,
  ): Promise<{ lots: number; cells: number }> {
    const levels = Array.from({ length: FINEST_CLUSTER_PRECISION }, () => new Map<string, Aggregate>());
    let count = 0;
    const pacer = new Pacer(); // 100,000 lots × 5 precisions: share the event loop (README "Limits")
    for await (const page of lots) {
      for (const lot of page) {
        await pacer.tick();
        count++;
        const one = pointAggregate(lot);
        const finest = geohashEncode(lot.lat, lot.lon, FINEST_CLUSTER_PRECISION);
        for (let p = 1; p <= FINEST_CLUSTER_PRECISION; p++) {
          const key = finest.slice(0, p);
          const level = levels[p - 1]!;
          let agg = level.get(key);
          if (!agg) {
            agg = empty();
            level.set(key, agg);
          }
          add(agg, one);
          if (p === FINEST_CLUSTER_PRECISION) {
            agg.points ??= [];
            agg.points.push(packPoint(lot));
          }
        }
      }
    }
    const previous = await this.state();
    const build = String(now);
    const puts: WriteRequest[] = [];
    levels.forEach((level, i) => {
      for (const [cell, agg] of level) {
        const parts = agg.points ? splitPositions(agg.points) : [];
        if (parts.length > 1) {
          // Written with the cells, before the state points at the build: a reader never finds a
          // dense cell whose parts are not there yet.
          parts.forEach((text, part) => {
            const key = clusterPartKey(build, cell, part);
            puts.push({ PutRequest: { Item: { pk: { S: key.pk }, sk: { S: key.sk }, pts: { S: text } } } });
          });
          agg.points = undefined;
          agg.parts = parts.length;
        }
        puts.push({ PutRequest: { Item: toItem(clusterPk(build, i + 1), cell, agg) } });
      }
    });
    await batchWrite(this.client, this.tableName, puts, 'write clusters');
    await translated('cluster state', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: CLUSTER_STATE_KEY.pk },
            sk: { S: CLUSTER_STATE_KEY.sk },
            build: { S: build },
            previous: { S: previous?.build ?? '' },
          },
        }),
      ),
    );
    // The build before the previous one: no reader can still be on it.
    if (previous?.previous) await this.deleteBuild(previous.previous);
    return { lots: count, cells: puts.length };
  }

  private async deleteBuild(build: string): Promise<void> {
    const partitions = Array.from({ length: FINEST_CLUSTER_PRECISION }, (_, i) => clusterPk(build, i + 1));
    partitions.push(clusterPartKey(build, '', 0).pk);
    for (const pk of partitions) {
      const deletes: WriteRequest[] = [];
      for await (const page of queryPages(
        this.client,
        {
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ProjectionExpression: '#pk, #sk',
        },
        'old clusters',
      )) {
        for (const item of page.Items ?? [])
          deletes.push({ DeleteRequest: { Key: { pk: item.pk!, sk: item.sk! } } });
      }
      await batchWrite(this.client, this.tableName, deletes, 'delete old clusters');
    }
  }

  private async state(): Promise<{ build: string; previous: string } | null> {
    const { Item } = await translated('cluster state', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: CLUSTER_STATE_KEY.pk }, sk: { S: CLUSTER_STATE_KEY.sk } },
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item?.build?.S) return null;
    return { build: Item.build.S, previous: Item.previous?.S ?? '' };
  }

  /** The clusters of `box` at `precision` (the cells it meets there, at most MAX_CLUSTERS). */
  async inBox(box: GeoBox, precision: number, stats: ClusterReadStats): Promise<ClusterAnswer> {
    stats.requests++;
    const state = await this.state();
    if (state === null) return { clusters: [], asOf: null };
    const cells = cellsMeeting(box, precision);
    const wanted = new Set(cells);
    const items = await this.readRanges(state.build, precision, cells, stats);
    const clusters = await mapLimit(
      items.filter((i) => wanted.has(i.cell)),
      8,
      async ({ cell, agg }) => {
        if (boxHoldsCell(box, geohashBounds(cell))) return agg;
        const inside = empty();
        await this.addInside(state.build, box, cell, precision, agg, inside, stats);
        return inside;
      },
    );
    return {
      clusters: clusters.filter((a) => a.lots > 0).map(toCluster),
      asOf: Number(state.build),
    };
  }

  /** Adds to `into` the part of `cell` (whose aggregate is `agg`) that lies in `box`. */
  private async addInside(
    build: string,
    box: GeoBox,
    cell: string,
    precision: number,
    agg: Aggregate,
    into: Aggregate,
    stats: ClusterReadStats,
  ): Promise<void> {
    if (precision === FINEST_CLUSTER_PRECISION) {
      for await (const points of this.positions(build, cell, agg, stats)) {
        for (const point of points) {
          const lot = unpackPoint(point);
          if (boxHoldsPoint(box, lot.lat, lot.lon)) add(into, pointAggregate(lot));
        }
      }
      return;
    }
    const children = await this.readPrefix(build, precision + 1, cell, stats);
    for (const child of children) {
      const bounds = geohashBounds(child.cell);
      if (boxHoldsCell(box, bounds)) add(into, child.agg);
      else if (meets(box, bounds))
        await this.addInside(build, box, child.cell, precision + 1, child.agg, into, stats);
    }
  }

  /** Items of `cells` at `precision`, read in at most 8 Queries over merged key ranges. */
  private async readRanges(build: string, precision: number, cells: string[], stats: ClusterReadStats) {
    const ranges = mergeRanges(cells, 8);
    const pages = await mapLimit(ranges, 8, (range) =>
      this.query(
        build,
        precision,
        '#sk BETWEEN :lo AND :hi',
        { ':lo': { S: range.lo }, ':hi': { S: range.hi } },
        stats,
      ),
    );
    return pages.flat();
  }

  /**
   * The packed positions of a precision-5 cell: those in its item, or its part items, read in one
   * Query of ceil(parts / 3) pages or so (DynamoDB's 1 MB a page holds three full parts).
   */
  private async *positions(
    build: string,
    cell: string,
    agg: Aggregate,
    stats: ClusterReadStats,
  ): AsyncGenerator<string[]> {
    if (agg.points) yield agg.points;
    if (!agg.parts) return;
    const key = clusterPartKey(build, cell, '');
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: key.pk }, ':prefix': { S: key.sk } },
        ConsistentRead: true,
      },
      'cluster positions',
    )) {
      stats.requests++;
      stats.itemsRead += page.Items?.length ?? 0;
      for (const item of page.Items ?? []) yield item.pts?.S ? item.pts.S.split(';') : [];
    }
  }

  private readPrefix(build: string, precision: number, prefix: string, stats: ClusterReadStats) {
    return this.query(build, precision, 'begins_with(#sk, :prefix)', { ':prefix': { S: prefix } }, stats);
  }

  private async query(
    build: string,
    precision: number,
    skCondition: string,
    values: Record<string, AttributeValue>,
    stats: ClusterReadStats,
  ): Promise<Array<{ cell: string; agg: Aggregate }>> {
    const out: Array<{ cell: string; agg: Aggregate }> = [];
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: `#pk = :pk AND ${skCondition}`,
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: clusterPk(build, precision) }, ...values },
        ConsistentRead: true,
      },
      'clusters',
    )) {
      stats.requests++;
      stats.itemsRead += page.Items?.length ?? 0;
      for (const item of page.Items ?? []) out.push({ cell: item.sk?.S ?? '', agg: fromItem(item) });
    }
    return out;
  }
}

function meets(
  box: GeoBox,
  cell: { minLat: number; maxLat: number; minLon: number; maxLon: number },
): boolean {
  if (cell.maxLat < box.minLat || cell.minLat > box.maxLat) return false;
  const spans: Array<[number, number]> =
    box.minLon <= box.maxLon
      ? [[box.minLon, box.maxLon]]
      : [
          [box.minLon, 180],
          [-180, box.maxLon],
        ];
  return spans.some(([lo, hi]) => cell.maxLon >= lo && cell.minLon <= hi);
}

/** Sorted keys as at most `max` inclusive ranges, closing the smallest gaps (in sort order) first. */
function mergeRanges(sorted: string[], max: number): Array<{ lo: string; hi: string }> {
  if (sorted.length === 0) return [];
  // Gaps are judged by position in the list: the cells of a box come in Z-order runs.
  const value = (cell: string) => [...cell].reduce((n, c) => n * 32 + BASE32_INDEX(c), 0);
  const gaps = sorted
    .slice(1)
    .map((c, i) => ({ at: i, size: value(c) - value(sorted[i]!) }))
    .sort((a, b) => b.size - a.size || a.at - b.at)
    .slice(0, max - 1)
    .map((g) => g.at)
    .sort((a, b) => a - b);
  const ranges: Array<{ lo: string; hi: string }> = [];
  let from = 0;
  for (const at of gaps) {
    ranges.push({ lo: sorted[from]!, hi: sorted[at]! });
    from = at + 1;
  }
  ranges.push({ lo: sorted[from]!, hi: sorted[sorted.length - 1]! });
  return ranges;
}

const BASE32_INDEX = (c: string) => BASE32.indexOf(c);

function toCluster(a: Aggregate): Cluster {
  return {
    location: { lat: a.sumLat / a.lots, lon: a.sumLon / a.lots },
    lots: a.lots,
    capacity: a.capacity,
    free: a.free,
    bbox: [a.minLon, a.minLat, a.maxLon, a.maxLat],
  };
}

/** Packed positions as texts of at most MAX_POSITIONS_BYTES each, split between positions. */
export function splitPositions(points: readonly string[]): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const point of points) {
    const added = point.length + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && length + added > MAX_POSITIONS_BYTES) {
      parts.push(current.join(';'));
      current = [];
      length = 0;
    }
    length += point.length + (current.length > 0 ? 1 : 0);
    current.push(point);
  }
  if (current.length > 0) parts.push(current.join(';'));
  return parts;
}

function packPoint(lot: ClusterLot): string {
  return `${lot.lat},${lot.lon},${lot.capacity},${lot.free}`;
}

function unpackPoint(text: string): ClusterLot {
  const [lat, lon, capacity, free] = text.split(',').map(Number) as [number, number, number, number];
  return { lat, lon, capacity, free };
}

function toItem(pk: string, sk: string, a: Aggregate): Record<string, AttributeValue> {
  return {
    pk: { S: pk },
    sk: { S: sk },
    n: { N: String(a.lots) },
    c: { N: String(a.capacity) },
    f: { N: String(a.free) },
    la: { N: String(a.sumLat) },
    lo: { N: String(a.sumLon) },
    bb: { S: [a.minLon, a.minLat, a.maxLon, a.maxLat].join(',') },
    ...(a.points ? { pts: { S: a.points.join(';') } } : {}),
    ...(a.parts ? { np: { N: String(a.parts) } } : {}),
  };
}

function fromItem(item: Record<string, AttributeValue>): Aggregate {
  const [minLon, minLat, maxLon, maxLat] = (item.bb?.S ?? '0,0,0,0').split(',').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return {
    lots: Number(item.n?.N ?? 0),
    capacity: Number(item.c?.N ?? 0),
    free: Number(item.f?.N ?? 0),
    sumLat: Number(item.la?.N ?? 0),
    sumLon: Number(item.lo?.N ?? 0),
    minLat,
    maxLat,
    minLon,
    maxLon,
    ...(item.pts?.S ? { points: item.pts.S.split(';') } : {}),
    ...(item.np?.N ? { parts: Number(item.np.N) } : {}),
  };
}
