// The nearby query against the store: same answer as a brute-force oracle, and it reads little.
import { getDistance } from 'geolib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/demo/seed';
import { freeSpaces, matchesNearby } from '../../shared/domain/lot';
import { loadOpeningHours } from '../../shared/domain/opening-hours';
import type { StoredLot } from '../../shared/domain/stored-lot';
import { findNearby } from '../../shared/use-cases/find-nearby';
import { refreshClusters } from '../../shared/use-cases/manage-lots';
import { offset, syntheticCity, writeLots } from '../support/city';
import { openApp, storeKinds } from '../support/stores';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

const NOW = Date.parse('2026-11-23T10:00:00Z');

/** Every lot, filtered and sorted by the contract's rules, with geolib's distance. */
function oracle(
  lots: readonly StoredLot[],
  q: { lat: number; lon: number; radius: number; limit: number; minFree: number },
) {
  return lots
    .map((lot) => ({ lot, distance: getDistance(q, lot.location) }))
    .filter(
      ({ lot, distance }) =>
        distance <= q.radius &&
        matchesNearby(lot, NOW, { minFree: q.minFree, features: [], includeStale: false }, hours),
    )
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        (freeSpaces(b.lot) ?? 0) - (freeSpaces(a.lot) ?? 0) ||
        (a.lot.id < b.lot.id ? -1 : a.lot.id > b.lot.id ? 1 : 0),
    )
    .slice(0, q.limit);
}

describe.each(storeKinds())('nearby on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let city: StoredLot[];
  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(NOW);
    city = syntheticCity({ lots: 10_000, seed: 42, now: NOW });
    await writeLots(t.store.client, t.store.tableName, city);
    // The aggregates the job rebuilds, which size the search's first circle (without them it
    // starts small and grows: test/integration/nearby-density.test.ts).
    await refreshClusters(t.deps);
  }, 120_000);
  afterAll(() => t.close());

  it('returns exactly the oracle ranking for 100 random queries through the HTTP API', async () => {
    const random = seededRandom(9);
    const radii = [300, 1000, 2500, 5000, 20_000];
    for (let i = 0; i < 100; i++) {
      const anchor = city[Math.floor(random() * city.length)]!.location;
      const centre = offset(anchor, random() * 800, random() * 2 * Math.PI);
      const q = {
        ...centre,
        radius: radii[i % radii.length]!,
        limit: 1 + (i % 3) * 10,
        minFree: i % 4 === 0 ? 0 : 1,
      };
      const res = await t.request(
        `/v1/lots/nearby?lat=${q.lat}&lon=${q.lon}&radius=${q.radius}&limit=${q.limit}&minFree=${q.minFree}`,
      );
      expect(res.status).toBe(200);
      const got = (await res.json()).lots as { id: string; distance: number }[];
      const want = oracle(city, q);
      expect(
        got.map((l) => l.id),
        `query ${i} ${JSON.stringify(q)}`,
      ).toEqual(want.map((w) => w.lot.id));
      got.forEach((l, j) => {
        expect(Math.abs(l.distance - want[j]!.distance)).toBeLessThanOrEqual(1);
      });
    }
  });

  it('reads at most 3× the lots in a 1 km radius (ScannedCount), never scanning the table', async () => {
    const random = seededRandom(11);
    let read = 0;
    let inRadius = 0;
    let requests = 0;
    for (let i = 0; i < 50; i++) {
      const centre = city[Math.floor(random() * city.length)]!.location;
      // limit 100 so the search must cover the whole kilometre: the worst case for reads.
      const result = await findNearby(t.deps, {
        center: centre,
        radius: 1000,
        limit: 100,
        minFree: 0,
        features: [],
        includeStale: true,
      });
      const all = city.filter((lot) => getDistance(centre, lot.location) <= 1000).length;
      read += result.stats.itemsRead;
      inRadius += all;
      requests += result.stats.requests;
    }
    const amplification = read / inRadius;
    console.log(
      `[nearby ${kind}] 1 km, 10,000 lots: ${(read / 50).toFixed(1)} items read per query for ` +
        `${(inRadius / 50).toFixed(1)} lots in the radius (${amplification.toFixed(2)}×), ` +
        `${(requests / 50).toFixed(1)} requests per query`,
    );
    expect(amplification).toBeLessThanOrEqual(3);
  });
});
