// node --import tsx scripts/box-clusters.ts [--lots 100000] [--store dynalite|dynamodb-local]
// What a box too large to list lot by lot costs (README "Boxes of any size"): N synthetic lots in
// ten British cities (test/support/city.ts) written to a fresh table, the coarse-cell aggregates
// rebuilt as the scheduled job does, then the whole of Great Britain, the whole world and a box
// whose edge cuts through London read, each through lotsInBox (the route's use case). Prints
// store requests, items read, clusters and whether the clusters add up to every lot in the box.
import { parseArgs } from 'node:util';
import { createDependencies } from '../shared/dependencies';
import { createDynamoClient } from '../shared/store/client';
import { startEmbeddedStore } from '../shared/store/embedded';
import { ensureTable } from '../shared/store/schema';
import { lotsInBox, refreshClusters } from '../shared/use-cases/manage-lots';
import { syntheticCity, writeLots } from '../test/support/city';
import { startDdbLocal } from '../test/support/ddb-local';

const { values } = parseArgs({
  options: { lots: { type: 'string', default: '100000' }, store: { type: 'string', default: 'dynalite' } },
});
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CITIES = [
  { lat: 51.5074, lon: -0.1278 },
  { lat: 52.4797, lon: -1.9026 },
  { lat: 53.4808, lon: -2.2426 },
  { lat: 53.8008, lon: -1.5491 },
  { lat: 55.8642, lon: -4.2518 },
  { lat: 55.9533, lon: -3.1883 },
  { lat: 51.4545, lon: -2.5879 },
  { lat: 54.9783, lon: -1.6178 },
  { lat: 50.3755, lon: -4.1427 },
  { lat: 52.6309, lon: 1.2974 },
];

const total = Number(values.lots);
const now = Date.parse('2026-12-07T12:00:00Z');
const store =
  values.store === 'dynamodb-local'
    ? await startDdbLocal().then((d) => ({ endpoint: d.endpoint, close: () => d.stop() }))
    : await startEmbeddedStore();
const client = createDynamoClient({
  region: 'us-east-1',
  endpoint: store.endpoint,
  requestTimeoutMs: 30_000,
});
const tableName = `box-${Date.now()}`;
await ensureTable(client, tableName);
const deps = createDependencies({ client, tableName, now: () => now });
const lots = CITIES.flatMap((centre, i) =>
  syntheticCity({ lots: Math.round(total / CITIES.length), seed: i + 1, centre, spread: 20_000, now }),
).map((lot, i) => ({ ...lot, id: `gb-${i}` }));
let started = performance.now();
await writeLots(client, tableName, lots);
console.log(`wrote ${lots.length} lots in ${((performance.now() - started) / 1000).toFixed(1)} s`);
started = performance.now();
const built = await refreshClusters(deps);
console.log(
  `rebuilt the aggregates (${built.cells} cell items for ${built.lots} lots) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const boxes = {
  'Great Britain': { minLon: -8.7, minLat: 49.8, maxLon: 1.8, maxLat: 60.9 },
  'whole world': { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 },
  'edge through London': { minLon: -0.1278, minLat: 49.8, maxLon: 1.8, maxLat: 53 },
};
for (const [name, box] of Object.entries(boxes)) {
  started = performance.now();
  const answer = await lotsInBox(deps, box, 500);
  const ms = performance.now() - started;
  const counted = (answer.clusters ?? []).reduce((n, c) => n + c.lots, 0);
  const expected = lots.filter(
    (l) =>
      l.location.lat >= box.minLat &&
      l.location.lat <= box.maxLat &&
      l.location.lon >= box.minLon &&
      l.location.lon <= box.maxLon,
  ).length;
  console.log(
    `${name}: ${answer.clusters?.length ?? 0} clusters, ${counted} lots (expected ${expected}), ` +
      `${answer.stats.requests} store requests, ${answer.stats.itemsRead} items read, ${ms.toFixed(0)} ms`,
  );
}
client.destroy();
await store.close();
