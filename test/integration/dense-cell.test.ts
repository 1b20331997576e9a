// A geohash-5 cell holding 30,000 lots, on both stores (README "Boxes of any size"): its positions
// are more than one DynamoDB item may hold (400 KB, which both stores enforce), yet the job's
// rebuild succeeds with every item of the build under MAX_CLUSTER_ITEM_BYTES, boxes whose edges cut
// the cell count its lots exactly, the nearby density reads every position, and a build being
// replaced stays whole for its readers.
import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/demo/seed';
import type { StoredLot } from '../../shared/domain/stored-lot';
import type { LatLon } from '../../shared/geo';
import { kthNearestMetres } from '../../shared/geo';
import { geohashBounds } from '../../shared/geo/box-cells';
import { geohashEncode } from '../../shared/geo/geohash';
import { mapLimit } from '../../shared/lib/concurrency';
import { MAX_CLUSTER_ITEM_BYTES } from '../../shared/store/clusters';
import { LotDensity } from '../../shared/store/density';
import { clusterPartKey, clusterPk } from '../../shared/store/keys';
import { DynamoLots } from '../../shared/store/lots';
import { queryPages } from '../../shared/store/query';
import { findNearby } from '../../shared/use-cases/find-nearby';
import { lotsInBox, refreshClusters } from '../../shared/use-cases/manage-lots';
import type { SearchStats } from '../../shared/use-cases/ports';
import { syntheticCity, writeLots } from '../support/city';
import { nearbyOracle } from '../support/nearby-oracle';
import { openApp, storeKinds } from '../support/stores';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const LOTS = 30_000;
const CENTRE: LatLon = { lat: 52.4797, lon: -1.9026 };
const CELL = geohashEncode(CENTRE.lat, CENTRE.lon, 5);
const BOUNDS = geohashBounds(CELL);

/** DynamoDB's item size: attribute names and values in bytes (a number counted as its text + 1, an upper bound). */
function itemBytes(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (value.S !== undefined) bytes += Buffer.byteLength(value.S);
    else if (value.N !== undefined) bytes += value.N.length + 1;
    else throw new Error(`unexpected attribute type of ${name}`);
  }
  return bytes;
}

/** `LOTS` lots spread evenly over the one cell, with the synthetic city's mix of states. */
function denseCell(): StoredLot[] {
  const random = seededRandom(77);
  const margin = 1e-6;
  return syntheticCity({ lots: LOTS, seed: 21, now: NOW }).map((lot) => ({
    ...lot,
    location: {
      lat: Number(
        (BOUNDS.minLat + margin + random() * (BOUNDS.maxLat - BOUNDS.minLat - 2 * margin)).toFixed(7),
      ),
      lon: Number(
        (BOUNDS.minLon + margin + random() * (BOUNDS.maxLon - BOUNDS.minLon - 2 * margin)).toFixed(7),
      ),
    },
  }));
}

/** A search's figures before it starts (what LotDensity adds its requests to). */
const zeroStats = (): SearchStats => ({
  requests: 0,
  itemsRead: 0,
  readUnits: 0,
  rounds: 0,
  radiusSearched: 0,
  directoryRequests: 0,
  cellsRead: 0,
  densityRequests: 0,
});

const inBox = (p: LatLon, b: { minLon: number; minLat: number; maxLon: number; maxLat: number }) =>
  p.lat >= b.minLat && p.lat <= b.maxLat && p.lon >= b.minLon && p.lon <= b.maxLon;

describe.each(storeKinds())('a cell of 30,000 lots on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let lots: DynamoLots;
  const world = denseCell();

  const partition = async (pk: string) => {
    const items: Record<string, AttributeValue>[] = [];
    for await (const page of queryPages(
      t.store.client,
      {
        TableName: t.store.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
      },
      'test',
    ))
      items.push(...(page.Items ?? []));
    return items;
  };
  const buildItems = async (build: number) => {
    const pks = [1, 2, 3, 4, 5].map((p) => clusterPk(String(build), p));
    pks.push(clusterPartKey(String(build), CELL, 0).pk);
    return (await mapLimit(pks, 2, partition)).flat();
  };
  const parts = (build: number) => partition(clusterPartKey(String(build), CELL, 0).pk);

  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(NOW);
    lots = new DynamoLots(t.store.client, t.store.tableName, { clock: t.clock.now });
    await writeLots(t.store.client, t.store.tableName, world);
  }, 300_000);
  afterAll(() => t.close());

  it('the store rejects an item over 400 KB', async () => {
    await expect(
      t.store.client.send(
        new PutItemCommand({
          TableName: t.store.tableName,
          Item: { pk: { S: 'OVERSIZE' }, sk: { S: 'x' }, pts: { S: 'x'.repeat(401 * 1024) } },
        }),
      ),
    ).rejects.toThrow(/size/i);
  });

  it('rebuilds with every item of the build under the bound, the positions split over parts', async () => {
    const built = await refreshClusters({ lots, now: t.clock.now });
    expect(built.lots).toBe(LOTS);
    const items = await buildItems(NOW);
    expect(items.length).toBeGreaterThan(5);
    for (const item of items)
      expect(itemBytes(item), `${item.pk?.S} ${item.sk?.S}`).toBeLessThanOrEqual(MAX_CLUSTER_ITEM_BYTES);
    const cell = items.find((i) => i.pk?.S === clusterPk(String(NOW), 5) && i.sk?.S === CELL)!;
    expect(Number(cell.n?.N)).toBe(LOTS);
    expect(cell.pts).toBeUndefined();
    const stored = await parts(NOW);
    expect(stored.length).toBeGreaterThan(1);
    expect(Number(cell.np?.N)).toBe(stored.length);
    // Every lot's position once, in the parts.
    expect(stored.flatMap((p) => p.pts!.S!.split(';')).length).toBe(LOTS);
  }, 300_000);

  it('counts exactly the lots of large boxes whose edges cut the dense cell', async () => {
    const random = seededRandom(5);
    const at = (lo: number, hi: number) => Number((lo + random() * (hi - lo)).toFixed(5));
    const boxes = [
      // West edge, east edge, south edge, north edge, and a corner inside the cell.
      { minLon: at(BOUNDS.minLon, BOUNDS.maxLon), minLat: 50, maxLon: 2, maxLat: 55 },
      { minLon: -6, minLat: 50, maxLon: at(BOUNDS.minLon, BOUNDS.maxLon), maxLat: 55 },
      { minLon: -6, minLat: at(BOUNDS.minLat, BOUNDS.maxLat), maxLon: 2, maxLat: 55 },
      { minLon: -6, minLat: 50, maxLon: 2, maxLat: at(BOUNDS.minLat, BOUNDS.maxLat) },
      {
        minLon: at(BOUNDS.minLon, BOUNDS.maxLon),
        minLat: at(BOUNDS.minLat, BOUNDS.maxLat),
        maxLon: 2,
        maxLat: 55,
      },
    ];
    for (const box of boxes) {
      const answer = await lotsInBox({ lots, now: t.clock.now }, box, 500);
      const expected = world.filter((l) => inBox(l.location, box));
      const clusters = answer.clusters ?? [];
      expect(answer.lots).toEqual([]);
      expect(
        clusters.reduce((n, c) => n + c.lots, 0),
        JSON.stringify(box),
      ).toBe(expected.length);
      expect(clusters.reduce((n, c) => n + c.capacity, 0)).toBe(expected.reduce((n, l) => n + l.capacity, 0));
      // The cell's parts cost one Query of a page or two beside the cells' own reads.
      expect(answer.stats.requests).toBeLessThanOrEqual(20);
      console.log(
        `[dense ${kind}] box ${JSON.stringify(box)}: ${answer.stats.requests} requests, ${answer.stats.itemsRead} items read`,
      );
    }
    // Through the route too.
    const box = boxes[0]!;
    const res = await t.request(`/v1/lots?bbox=${box.minLon},${box.minLat},${box.maxLon},${box.maxLat}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { clusters: { lots: number }[] };
    expect(body.clusters.reduce((n, c) => n + c.lots, 0)).toBe(
      world.filter((l) => inBox(l.location, box)).length,
    );
  }, 120_000);

  it('sizes a nearby circle from every position of the dense cell', async () => {
    const density = new LotDensity(t.store.client, t.store.tableName, t.clock.now);
    const stats = zeroStats();
    const all = new Float64Array(world.flatMap((l) => [l.location.lat, l.location.lon]));
    for (const k of [1, 10, 100, 1000]) {
      const radius = await density.radiusHolding(
        CENTRE,
        k,
        50_000,
        stats,
        (work) => work(),
        (items, fn) => mapLimit(items, 4, fn),
        { fetches: 2 },
      );
      expect(radius, `k ${k}`).toBeCloseTo(kthNearestMetres(CENTRE, [all], k), 6);
    }
    // The state, the cells near the centre, the dense cell's parts (a page or two): then cached.
    expect(stats.densityRequests).toBeGreaterThanOrEqual(3);
    expect(stats.densityRequests).toBeLessThanOrEqual(5);
  }, 120_000);

  it('keeps a "too dense to fetch" verdict with the build: the next search there asks nothing', async () => {
    const stored = await parts(NOW);
    // A fetch may read fewer parts than the cell has, as a real cell past MAX_DENSITY_PARTS.
    const density = new LotDensity(t.store.client, t.store.tableName, t.clock.now, stored.length - 1);
    const search = async () => {
      const stats = zeroStats();
      const radius = await density.radiusHolding(
        CENTRE,
        10,
        5000,
        stats,
        (work) => work(),
        (items, fn) => mapLimit(items, 4, fn),
        { fetches: 2 },
      );
      return { radius, densityRequests: stats.densityRequests };
    };
    // The build's state and the cells' BatchGetItem, which finds the parts too many: no density.
    expect(await search()).toEqual({ radius: undefined, densityRequests: 2 });
    // The verdict is remembered: neither the state (within its TTL) nor the cells again.
    expect(await search()).toEqual({ radius: undefined, densityRequests: 0 });
    expect(await search()).toEqual({ radius: undefined, densityRequests: 0 });
  }, 120_000);

  it('answers nearby searches in the dense cell exactly', async () => {
    const random = seededRandom(3);
    for (const radius of [50, 500, 5000]) {
      for (const limit of [1, 20, 100]) {
        const center = {
          lat: BOUNDS.minLat + random() * (BOUNDS.maxLat - BOUNDS.minLat),
          lon: BOUNDS.minLon + random() * (BOUNDS.maxLon - BOUNDS.minLon),
        };
        const q = { center, radius, limit, minFree: 0 };
        const answer = await findNearby({ ...t.deps, lots }, { ...q, features: [], includeStale: false });
        expect(
          answer.lots.map((l) => l.id),
          JSON.stringify(q),
        ).toEqual(nearbyOracle(world, q, t.clock.now()));
      }
    }
  }, 120_000);

  it('keeps a build whole, parts included, until the build after next replaces it', async () => {
    const first = await parts(NOW);
    t.clock.advance(60_000);
    await refreshClusters({ lots, now: t.clock.now });
    // A reader that read the state just before the switch is still on the first build.
    expect((await parts(NOW)).length).toBe(first.length);
    expect((await parts(NOW + 60_000)).length).toBe(first.length);
    t.clock.advance(60_000);
    await refreshClusters({ lots, now: t.clock.now });
    expect(await buildItems(NOW)).toEqual([]);
    expect((await parts(NOW + 60_000)).length).toBe(first.length);
    const box = { minLon: CENTRE.lon, minLat: 50, maxLon: 2, maxLat: 55 };
    const answer = await lotsInBox({ lots, now: t.clock.now }, box, 500);
    expect((answer.clusters ?? []).reduce((n, c) => n + c.lots, 0)).toBe(
      world.filter((l) => inBox(l.location, box)).length,
    );
  }, 300_000);
});
