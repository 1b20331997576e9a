// The nearby search sizes its first circle from the coarse-cell aggregates (shared/store/density.ts),
// which may be missing (never rebuilt) or stale (lots created in a cell they call empty, every lot
// of a place deleted since). Whatever they say, the answer must be the brute-force oracle's: very
// dense and very sparse places, across the antimeridian, near the pole, in empty ocean, with
// places where every lot is full, at every radius and limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/demo/seed';
import type { StoredLot } from '../../shared/domain/stored-lot';
import type { LatLon } from '../../shared/geo';
import { DENSITY_TTL_MS } from '../../shared/store/density';
import { DynamoLots } from '../../shared/store/lots';
import { findNearby } from '../../shared/use-cases/find-nearby';
import { refreshClusters } from '../../shared/use-cases/manage-lots';
import { offset, syntheticCity, writeLots } from '../support/city';
import { nearbyOracle as oracle } from '../support/nearby-oracle';
import { openApp, storeKinds } from '../support/stores';

const NOW = Date.parse('2026-11-23T10:00:00Z');

const DENSE: LatLon = { lat: 52.4797, lon: -1.9026 };
const DELETED = offset(DENSE, 4000, Math.PI / 2);
const FULL = offset(DENSE, 3000, Math.PI);
const SPARSE: LatLon = { lat: 51.15, lon: -3.6 };
const NEW_CELL = offset(SPARSE, 9000, Math.PI / 4);
const FIJI: LatLon = { lat: -16.5, lon: 179.97 };
const POLE: LatLon = { lat: 89.99, lon: 10 };
const OCEAN: LatLon = { lat: 0.5, lon: -30 };
const CENTRES = { DENSE, DELETED, FULL, SPARSE, NEW_CELL, FIJI, POLE, OCEAN };

/** `lots` lots spread evenly within `spread` metres of `centre`, with the city's mix of states. */
function place(prefix: string, lots: number, seed: number, centre: LatLon, spread: number): StoredLot[] {
  const random = seededRandom(seed * 31);
  return syntheticCity({ lots, seed, now: NOW }).map((lot) => {
    const at = offset(centre, spread * Math.sqrt(random()), random() * 2 * Math.PI);
    return {
      ...lot,
      id: `${prefix}-${lot.id}`,
      generation: `${prefix}-${lot.generation}`,
      // offsetBy does not wrap: lots east of the antimeridian come back as lon > 180.
      location: {
        lat: Math.min(89.9999, at.lat),
        lon: Number((((at.lon + 540) % 360) - 180).toFixed(7)),
      },
    };
  });
}

describe.each(storeKinds())('nearby with a missing or stale density on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let lots: DynamoLots;
  const world = new Map<string, StoredLot>();
  const add = (more: StoredLot[]) => {
    for (const lot of more) world.set(lot.id, lot);
    return more;
  };

  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(NOW);
    // The search's own store, on the test clock, so the density cache's time to live is the test's.
    lots = new DynamoLots(t.store.client, t.store.tableName, { clock: t.clock.now });
    const initial = [
      ...place('dense', 3000, 5, DENSE, 1500), // ~1 lot per 1,000 m² downtown
      ...place('blob', 150, 6, DELETED, 40),
      // Every lot full: acceptable lots lie beyond them all.
      ...place('full', 200, 7, FULL, 60).map((lot) => ({
        ...lot,
        occupied: lot.capacity,
        lastAt: NOW - 1000,
      })),
      ...place('sparse', 25, 8, SPARSE, 40_000), // one lot per ~200 km²
      ...place('fiji', 30, 9, FIJI, 20_000), // both sides of the antimeridian
      ...place('pole', 12, 10, POLE, 800),
    ];
    await writeLots(t.store.client, t.store.tableName, add(initial));
  }, 120_000);
  afterAll(() => t.close());

  async function expectOracle(phase: string) {
    const random = seededRandom(phase.length * 7919);
    let densityRequests = 0;
    for (const [name, centre] of Object.entries(CENTRES)) {
      for (const radius of [100, 1000, 5000, 50_000]) {
        for (const limit of [1, 10, 100]) {
          const minFree = random() < 0.5 ? 0 : 1;
          const center = offset(centre, random() * 50, random() * 2 * Math.PI);
          const q = { center, radius, limit, minFree };
          const answer = await findNearby({ ...t.deps, lots }, { ...q, features: [], includeStale: false });
          densityRequests += answer.stats.densityRequests;
          // No round reads again what an earlier one read: every item read is a distinct lot.
          const search = await lots.nearby({ center, radius, limit, accept: () => true });
          expect(search.stats.itemsRead, `${phase}: ${name} re-read`).toBe(search.candidates.length);
          expect(
            answer.lots.map((l) => l.id),
            `${phase}: ${name} ${JSON.stringify(q)}`,
          ).toEqual(oracle(world.values(), q, t.clock.now()));
        }
      }
    }
    return { densityRequests };
  }

  it('answers exactly the oracle before the aggregates were ever built (no density)', async () => {
    await expectOracle('missing');
  }, 120_000);

  it('answers exactly the oracle from fresh aggregates, and reads them', async () => {
    await refreshClusters({ lots, now: t.clock.now });
    t.clock.advance(DENSITY_TTL_MS + 1); // the cached "no build" expires
    const { densityRequests } = await expectOracle('fresh');
    expect(densityRequests).toBeGreaterThan(0);
  }, 120_000);

  it('answers exactly the oracle when the aggregates are stale: new lots in a cell they call empty, a place whose lots were all deleted', async () => {
    await writeLots(t.store.client, t.store.tableName, add(place('new', 40, 11, NEW_CELL, 300)));
    for (const lot of [...world.values()].filter((l) => l.id.startsWith('blob-'))) {
      expect(await lots.delete(lot.id, t.clock.now())).toBe(true);
      world.delete(lot.id);
    }
    await expectOracle('stale');
  }, 180_000);
});
