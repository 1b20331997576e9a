// Nearby and bbox over the whole globe, on both stores: the poles, both sides of the polar row
// boundary (±84.375°), the antimeridian, the equator, radii from 1 m to 50 km. Every answer equals
// a brute-force oracle over every lot, and every request keeps to the bounds of README "Limits":
// at most MAX_IN_FLIGHT_PER_SEARCH store requests in flight, the directory read at most once, and
// few Queries of partitions that hold no lot, whatever the radius or latitude.
import { computeDestinationPoint, getDistance } from 'geolib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSpaces, matchesNearby } from '../../shared/domain/lot';
import { loadOpeningHours } from '../../shared/domain/opening-hours';
import { seededRandom } from '../../shared/domain/random';
import type { StoredLot } from '../../shared/domain/stored-lot';
import { DEFAULT_MAX_KEY_RANGES, type LatLon, partitionOf, partitionsMeeting } from '../../shared/geo';
import { MAX_IN_FLIGHT_PER_SEARCH, MAX_SEARCH_REQUESTS_PER_PROCESS } from '../../shared/store/lots';
import { syntheticCity, writeLots } from '../support/city';
import { countStoreCalls, type StoreCalls } from '../support/store-calls';
import { openApp, storeKinds } from '../support/stores';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

const NOW = Date.parse('2026-11-23T10:00:00Z');

/** Where lots cluster (and queries centre): every place partitions or geohashes misbehave. */
const PLACES: Array<{ name: string } & LatLon> = [
  { name: 'Birmingham', lat: 52.48, lon: -1.9 },
  { name: 'equator and prime meridian', lat: 0, lon: 0 },
  { name: 'antimeridian', lat: -17.8, lon: 180 },
  { name: '80° N', lat: 80, lon: -1.9 },
  { name: '84° N', lat: 84, lon: -1.9 },
  { name: 'north polar row boundary', lat: 84.375, lon: 30 },
  { name: 'south polar row boundary', lat: -84.375, lon: -60 },
  { name: 'north pole', lat: 90, lon: 0 },
  { name: 'south pole', lat: -90, lon: 0 },
];

/** Query centres: the places, and just either side of the boundaries. */
const CENTRES: LatLon[] = [
  ...PLACES,
  { lat: 84.4, lon: 30 },
  { lat: 84.35, lon: 30 },
  { lat: -84.4, lon: -60 },
  { lat: -84.35, lon: -60 },
  { lat: -17.8, lon: -179.99 },
  { lat: -17.8, lon: 179.99 },
  { lat: 0.001, lon: -0.001 },
  { lat: 89.99, lon: 135 },
];
const RADII = [1, 1000, 50_000];

/** Exact points (poles, boundaries, ±180) made through the HTTP API, as a city's staff would. */
const EXACT: LatLon[] = [
  { lat: 90, lon: 0 },
  { lat: -90, lon: 45 },
  { lat: 84.375, lon: 30 },
  { lat: 84.374999, lon: 30 },
  { lat: -84.375, lon: -60 },
  { lat: -84.375001, lon: -60 },
  { lat: -17.8, lon: 180 },
  { lat: -17.8, lon: -180 },
  { lat: 0, lon: 0 },
];

/** Lots within 60 km of each place, with the varied states of the synthetic city. */
function globeLots(): StoredLot[] {
  const random = seededRandom(2026);
  const perPlace = 40;
  const base = syntheticCity({ lots: PLACES.length * perPlace, seed: 12, now: NOW });
  return base.map((lot, i) => {
    const place = PLACES[Math.floor(i / perPlace)]!;
    const p = computeDestinationPoint(place, 60_000 * Math.sqrt(random()), random() * 360);
    const location = { lat: Math.round(p.latitude * 1e7) / 1e7, lon: Math.round(p.longitude * 1e7) / 1e7 };
    return { ...lot, id: `g-${String(i).padStart(4, '0')}`, location };
  });
}

interface Query {
  center: LatLon;
  radius: number;
  limit: number;
  minFree: number;
  includeStale: boolean;
}

function oracle(lots: readonly StoredLot[], q: Query) {
  return lots
    .map((lot) => ({ lot, distance: getDistance(q.center, lot.location) }))
    .filter(
      ({ lot, distance }) =>
        distance <= q.radius &&
        matchesNearby(lot, NOW, { minFree: q.minFree, features: [], includeStale: q.includeStale }, hours),
    )
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        (freeSpaces(b.lot) ?? 0) - (freeSpaces(a.lot) ?? 0) ||
        (a.lot.id < b.lot.id ? -1 : a.lot.id > b.lot.id ? 1 : 0),
    )
    .slice(0, q.limit)
    .map(({ lot }) => lot.id);
}

/**
 * Per request (README "Limits"): Queries of partitions that hold no lot (only a search meeting at
 * most 16 partitions reads any: 21 at most here), and all Queries at most QUERY_BASE plus two per
 * partition with lots that the circle meets (the directory's, the rings' holes and a polar
 * partition read round after round come on top of one per such partition: 74 at most here).
 */
const EMPTY_PARTITION_QUERIES = 32;
const QUERY_BASE = 100;
/** The caps README "Limits" documents (literal here, so a change to the code's constants is caught). */
const IN_FLIGHT_PER_SEARCH = 8;
const IN_FLIGHT_PER_PROCESS = 16;

describe.each(storeKinds())('nearby and bbox over the whole globe on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let calls: StoreCalls;
  let lots: StoredLot[];
  let withLots: Set<string>;
  const worst = { queries: 0, empty: 0, maxInFlight: 0 };

  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(NOW);
    calls = countStoreCalls(t.store.client);
    await writeLots(t.store.client, t.store.tableName, globeLots());
    for (const [i, location] of EXACT.entries()) {
      const id = `exact-${i}`;
      const put = await t.request(`/v1/lots/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: { name: id, location, capacity: 50, type: 'surface', features: [], timeZone: 'UTC' },
      });
      expect(put.status, await put.clone().text()).toBe(201);
      const observed = await t.request(`/v1/lots/${id}/observations`, {
        method: 'POST',
        headers: t.staff,
        json: { observations: [{ eventId: 'e1', observedAt: '2026-11-23T09:59:00Z', occupied: i * 5 }] },
      });
      expect(observed.status).toBe(200);
    }
    lots = await t.deps.lots.list();
    withLots = new Set(lots.map((lot) => partitionOf(lot.location)));
  }, 120_000);

  afterAll(async () => {
    console.log(
      `[wide search ${kind}] worst request: ${worst.queries} Queries, ${worst.empty} of partitions ` +
        `without lots, ${worst.maxInFlight} store requests in flight`,
    );
    expect(t.errors).toEqual([]);
    await t.close();
  });

  /** The bounds of README "Limits" for the request just made. */
  function expectBounded(center: LatLon, radius: number, where: string) {
    const geo = calls.queries.filter((q) => q.target === 'geo');
    const directory = calls.queries.filter((q) => q.target === 'cells').length;
    const empty = geo.filter((q) => !withLots.has(q.partition ?? '')).length;
    const nonEmptyMet = partitionsMeeting(center, radius).filter((p) => withLots.has(p)).length;
    worst.queries = Math.max(worst.queries, calls.queries.length);
    worst.empty = Math.max(worst.empty, empty);
    worst.maxInFlight = Math.max(worst.maxInFlight, calls.maxInFlight);
    expect(calls.maxInFlight, `in flight: ${where}`).toBeLessThanOrEqual(IN_FLIGHT_PER_SEARCH);
    expect(directory, `directory Queries: ${where}`).toBeLessThanOrEqual(DEFAULT_MAX_KEY_RANGES);
    expect(calls.commands.get('GetItem') ?? 0, `state reads: ${where}`).toBeLessThanOrEqual(1);
    expect(empty, `Queries of partitions without lots: ${where}`).toBeLessThanOrEqual(
      EMPTY_PARTITION_QUERIES,
    );
    // Queries follow the partitions that hold lots, not the hundreds or thousands the circle meets.
    expect(calls.queries.length, `Queries: ${where}`).toBeLessThanOrEqual(QUERY_BASE + 2 * nonEmptyMet);
  }

  it('documents the caps the code uses', () => {
    expect(MAX_IN_FLIGHT_PER_SEARCH).toBe(IN_FLIGHT_PER_SEARCH);
    expect(MAX_SEARCH_REQUESTS_PER_PROCESS).toBe(IN_FLIGHT_PER_PROCESS);
  });

  it('answers nearby exactly as the oracle, from 1 m to 50 km, at the poles, ±84.375°, ±180° and 0°', async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (const center of CENTRES) {
      for (const radius of RADII) {
        for (const q of [
          { center, radius, limit: 100, minFree: 0, includeStale: true },
          { center, radius, limit: 10, minFree: 1, includeStale: false },
        ]) {
          calls.reset();
          const res = await t.request(
            `/v1/lots/nearby?lat=${center.lat}&lon=${center.lon}&radius=${radius}&limit=${q.limit}` +
              `&minFree=${q.minFree}&includeStale=${q.includeStale}`,
          );
          const where = JSON.stringify(q);
          expect(res.status, where).toBe(200);
          const got = ((await res.json()).lots as { id: string }[]).map((l) => l.id);
          expect(got, where).toEqual(oracle(lots, q));
          expectBounded(center, radius, where);
          compared++;
          if (got.length > 0) nonEmpty++;
        }
      }
    }
    expect(compared).toBe(CENTRES.length * RADII.length * 2);
    expect(nonEmpty).toBeGreaterThan(compared / 3); // the oracle is not comparing empty answers only
  });

  it('keeps a 50 km search that matches nothing bounded at every latitude', async () => {
    for (const lat of [
      -90, -84.4, -84.375, -84.35, -80, -45, 0, 45, 52.48, 80, 84, 84.35, 84.375, 84.4, 90,
    ]) {
      for (const lon of [-180, -1.9, 179.99]) {
        calls.reset();
        const res = await t.request(`/v1/lots/nearby?lat=${lat}&lon=${lon}&radius=50000&minFree=100000`);
        expect(res.status).toBe(200);
        expect((await res.json()).lots).toEqual([]);
        expectBounded({ lat, lon }, 50_000, `no match at ${lat},${lon}`);
      }
    }
  });

  it('lists a bbox exactly as the oracle, across the antimeridian and at the poles', async () => {
    const boxes: Array<[number, number, number, number]> = [
      [-2.3, 52.2, -1.5, 52.75], // Birmingham, ~35 km from centre to corner
      [179.8, -18, -179.8, -17.6], // across the antimeridian
      [-0.3, -0.3, 0.3, 0.3], // the equator and the prime meridian
      [-180, 89.75, 180, 90], // the north pole cap
      [-180, -90, 180, -89.75], // the south pole cap
      [28, 84.25, 32, 84.45], // across the north polar row boundary
      [-62, -84.45, -58, -84.25], // across the south polar row boundary
      [-4, 79.85, 0, 80.15], // 80° N
    ];
    for (const [minLon, minLat, maxLon, maxLat] of boxes) {
      calls.reset();
      const res = await t.request(`/v1/lots?bbox=${minLon},${minLat},${maxLon},${maxLat}&limit=1000`);
      const where = `bbox ${minLon},${minLat},${maxLon},${maxLat}`;
      expect(res.status, where).toBe(200);
      const got = ((await res.json()).lots as { id: string }[]).map((l) => l.id).sort();
      const crosses = minLon > maxLon;
      const want = lots
        .filter(
          ({ location: { lat, lon } }) =>
            lat >= minLat &&
            lat <= maxLat &&
            (crosses ? lon >= minLon || lon <= maxLon : lon >= minLon && lon <= maxLon),
        )
        .map((lot) => lot.id)
        .sort();
      expect(got, where).toEqual(want);
      expect(want.length, where).toBeGreaterThan(0);
      expect(calls.maxInFlight, where).toBeLessThanOrEqual(IN_FLIGHT_PER_SEARCH);
      const empty = calls.queries.filter((q) => q.target === 'geo' && !withLots.has(q.partition ?? ''));
      expect(empty.length, where).toBeLessThanOrEqual(16);
    }
  });

  it('keeps /health and an ordinary query answering while 20 searches of 50 km run at once', async () => {
    calls.reset();
    const wide = Array.from({ length: 20 }, (_, i) => {
      const c = [PLACES[0]!, PLACES[4]!, PLACES[5]!, PLACES[2]!][i % 4]!;
      return t.request(`/v1/lots/nearby?lat=${c.lat}&lon=${c.lon}&radius=50000&minFree=100000`);
    });
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const health = await t.request('/health');
    const healthMs = performance.now() - started;
    const center = PLACES[0]!;
    const ordinary = await t.request(
      `/v1/lots/nearby?lat=${center.lat}&lon=${center.lon}&radius=1000&minFree=0`,
    );
    expect(health.status).toBe(200);
    expect(healthMs, 'GET /health during the searches (a liveness bound)').toBeLessThan(1000);
    expect(ordinary.status).toBe(200);
    const ids = ((await ordinary.json()).lots as { id: string }[]).map((l) => l.id);
    expect(ids).toEqual(oracle(lots, { center, radius: 1000, limit: 10, minFree: 0, includeStale: false }));
    for (const res of await Promise.all(wide)) {
      expect(res.status).toBe(200);
      expect((await res.json()).lots).toEqual([]);
    }
    // All searches together kept to the process-wide cap (+ /health's call and a state read).
    expect(calls.maxInFlight).toBeLessThanOrEqual(IN_FLIGHT_PER_PROCESS + 2);
  });
});
