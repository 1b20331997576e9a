// Boxes of any size through the real app on both stores (README "Boxes of any size"): a box too
// large to list lot by lot answers clusters whose `lots` add up to every lot in it (checked against
// a brute-force count), a listed box over `limit` gets clusters beside its lots, and what a large
// box reads does not grow with the lots inside it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit } from '../../shared/lib/concurrency';
import { lotsInBox, putLot, refreshClusters } from '../../shared/use-cases/manage-lots';
import { openApp, storeKinds } from '../support/stores';

type Point = { lat: number; lon: number };
interface Cluster {
  location: Point;
  lots: number;
  capacity: number;
  free: number;
  bbox: number[];
}

const lotInput = (location: Point, capacity = 10) => ({
  name: 'Box Lot',
  location,
  capacity,
  type: 'surface' as const,
  features: [],
  timeZone: 'UTC',
  staleAfterSeconds: 3600,
});

function inBox(p: Point, [minLon, minLat, maxLon, maxLat]: number[]): boolean {
  if (p.lat < minLat! || p.lat > maxLat!) return false;
  return minLon! <= maxLon! ? p.lon >= minLon! && p.lon <= maxLon! : p.lon >= minLon! || p.lon <= maxLon!;
}

describe.each(storeKinds())('boxes of any size on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const points: Point[] = [];
  beforeAll(async () => {
    t = await openApp(kind);
    // Everywhere: both poles, both sides of the antimeridian, cell edges, and one dense city.
    const random = fc.sample(
      fc.record({
        lat: fc.double({ min: -90, max: 90, noNaN: true }),
        lon: fc.double({ min: -180, max: 180, noNaN: true }),
      }),
      { numRuns: 150, seed: 42 },
    );
    const edges = [
      { lat: 90, lon: 0 },
      { lat: -90, lon: 179.9 },
      { lat: 0.000001, lon: 180 },
      { lat: -0.000001, lon: -180 },
      { lat: 45, lon: 0 },
      { lat: 22.5, lon: -45 },
    ];
    const city = Array.from({ length: 60 }, (_, i) => ({
      lat: 30.25 + (i % 8) * 0.004,
      lon: 120.15 + i * 0.0013,
    }));
    for (const p of [...random, ...edges, ...city]) {
      const location = {
        lat: Math.round(p.lat * 1e6) / 1e6 || 0.5,
        lon: Math.round(p.lon * 1e6) / 1e6 || 0.5,
      };
      points.push(location);
    }
    await mapLimit(points, 8, (p) => putLot(t.deps, `box-${points.indexOf(p)}`, lotInput(p)));
    await refreshClusters(t.deps);
  }, 120_000);
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const box = async (bbox: number[], extra = '') => {
    const res = await t.request(`/v1/lots?bbox=${bbox.join(',')}${extra}`);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      lots: { id: string }[];
      clusters?: Cluster[];
      clustersAsOf?: string | null;
    };
  };
  const sum = (clusters: Cluster[] = []) => clusters.reduce((n, c) => n + c.lots, 0);

  it('answers the whole world with at most 256 clusters whose lots add up to every lot', async () => {
    const world = await box([-180, -90, 180, 90]);
    expect(world.lots).toEqual([]);
    expect(world.clusters!.length).toBeGreaterThan(1);
    expect(world.clusters!.length).toBeLessThanOrEqual(256);
    expect(sum(world.clusters)).toBe(points.length);
    expect(world.clusters!.reduce((n, c) => n + c.capacity, 0)).toBe(points.length * 10);
    expect(world.clustersAsOf).toBe(new Date(t.clock.now()).toISOString());
    for (const c of world.clusters!) {
      const [minLon, minLat, maxLon, maxLat] = c.bbox;
      expect(c.location.lat).toBeGreaterThanOrEqual(minLat! - 1e-9);
      expect(c.location.lat).toBeLessThanOrEqual(maxLat! + 1e-9);
      expect(c.location.lon).toBeGreaterThanOrEqual(minLon! - 1e-9);
      expect(c.location.lon).toBeLessThanOrEqual(maxLon! + 1e-9);
    }
  });

  it('counts every lot of any large box exactly, antimeridian and poles included', async () => {
    const boxes = fc.sample(
      fc
        .record({
          minLon: fc.double({ min: -180, max: 180, noNaN: true }),
          maxLon: fc.double({ min: -180, max: 180, noNaN: true }),
          a: fc.double({ min: -90, max: 90, noNaN: true }),
          b: fc.double({ min: -90, max: 90, noNaN: true }),
        })
        .map(({ minLon, maxLon, a, b }) =>
          [minLon, Math.min(a, b), maxLon, Math.max(a, b)].map((x) => Math.round(x * 1e4) / 1e4),
        ),
      { numRuns: 25, seed: 9 },
    );
    boxes.push([170, -90, -170, 90], [-180, 80, 180, 90], [0, 0, 90, 45], [100, 20, 140, 50]);
    for (const b of boxes) {
      const answer = await box(b);
      const expected = points.filter((p) => inBox(p, b)).length;
      const counted = answer.clusters ? sum(answer.clusters) : answer.lots.length;
      expect(counted, `bbox ${b.join(',')}`).toBe(expected);
    }
  });

  it('puts clusters beside the lots of a listed box that holds more than limit', async () => {
    const cityBox = [120.14, 30.24, 120.24, 30.29];
    const expected = points.filter((p) => inBox(p, cityBox)).length;
    expect(expected).toBe(60);
    const answer = await box(cityBox, '&limit=5');
    expect(answer.lots).toHaveLength(5);
    expect(sum(answer.clusters)).toBe(expected);
    const all = await box(cityBox, '&limit=1000');
    expect(all.lots).toHaveLength(expected);
    expect(all.clusters).toBeUndefined();
  });

  it('reads no more for a large box when the lots inside it multiply', async () => {
    const country = { minLon: 73, minLat: 18, maxLon: 135, maxLat: 54 };
    const before = await lotsInBox(t.deps, country, 500);
    const extra = Array.from({ length: 300 }, (_, i) => ({
      lat: 30.2 + (i % 20) * 0.003,
      lon: 120.1 + (i % 15) * 0.004,
    }));
    await mapLimit(extra, 8, (p) => putLot(t.deps, `extra-${extra.indexOf(p)}`, lotInput(p)));
    await refreshClusters(t.deps);
    const after = await lotsInBox(t.deps, country, 500);
    expect(after.clusters!.reduce((n, c) => n + c.lots, 0)).toBe(
      before.clusters!.reduce((n, c) => n + c.lots, 0) + extra.length,
    );
    expect(after.stats.itemsRead).toBe(before.stats.itemsRead);
    expect(after.stats.requests).toBe(before.stats.requests);
    console.log(
      `[clusters ${kind}] country box: ${after.stats.requests} requests, ${after.stats.itemsRead} items read`,
    );
  });
});
