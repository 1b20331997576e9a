// node --import tsx scripts/wide-nearby.ts [--store dynalite|dynamodb-local] [--lots N] [--repeat 3]
//   [--parallel 20] [--every-partition]
// What the widest public nearby query costs (README "Limits"): a 50 km search that matches
// nothing (minFree=100000, the largest allowed, more than any lot has), so it searches the whole
// circle, at Birmingham, the equator, 80° N and 84° N (just below the polar row), over the demo
// city written through
// putLot (the path the API takes) plus, with --lots, a seeded synthetic metro around Birmingham.
// Prints Queries, items read, read units (DynamoDB Local reports them), the most store requests
// in flight at once, the time, and the outcome (ok, or the error a driver would get as a 503).
// Read units: DynamoDB Local reports 0 for a Query that returns nothing, while AWS charges at least
// 0.5 (eventually consistent) or 1 (strongly consistent) per Query, so "AWS units" applies that floor.
// With --parallel N, N such queries per centre go through the real app at once while one ordinary
// 1 km query and GET /health are made; their statuses and times are printed.
// With --every-partition, one lot is added in every partition the 50 km circle of each centre
// meets (the worst case: the directory then rules nothing out).
import { parseArgs } from 'node:util';
import { demoLots } from '../shared/demo/seed';
import { createDependencies } from '../shared/dependencies';
import { partitionsMeeting } from '../shared/geo';
import { createApp } from '../shared/http/app';
import { createDynamoClient } from '../shared/store/client';
import { startEmbeddedStore } from '../shared/store/embedded';
import { ensureTable } from '../shared/store/schema';
import { findNearby } from '../shared/use-cases/find-nearby';
import { putLot } from '../shared/use-cases/manage-lots';
import { syntheticCity, writeLots } from '../test/support/city';
import { startDdbLocal } from '../test/support/ddb-local';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'dynalite' },
    lots: { type: 'string', default: '0' },
    repeat: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '0' },
    'every-partition': { type: 'boolean', default: false },
  },
});
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CENTRES = [
  { name: 'Birmingham', lat: 52.48, lon: -1.9 },
  { name: 'equator', lat: 0, lon: -1.9 },
  { name: '80° N', lat: 80, lon: -1.9 },
  { name: '84° N', lat: 84, lon: -1.9 },
];

const store =
  values.store === 'dynamodb-local'
    ? await startDdbLocal(undefined, { heapMb: 1024 }).then((d) => ({ endpoint: d.endpoint, close: d.stop }))
    : await startEmbeddedStore();
const client = createDynamoClient({ region: 'us-east-1', endpoint: store.endpoint });
let inFlight = 0;
let maxInFlight = 0;
let awsUnits = 0;
client.middlewareStack.add(
  (next) => async (args) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const result = await next(args);
      const input = args.input as { KeyConditionExpression?: string; ConsistentRead?: boolean };
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      if (input.KeyConditionExpression !== undefined) {
        awsUnits += Math.max(input.ConsistentRead ? 1 : 0.5, output.ConsumedCapacity?.CapacityUnits ?? 0);
      }
      return result;
    } finally {
      inFlight--;
    }
  },
  { step: 'initialize', name: 'countInFlight' },
);
try {
  const tableName = 'wide-nearby';
  await ensureTable(client, tableName);
  const now = Date.now();
  const deps = createDependencies({ client, tableName, now: () => now });
  for (const lot of demoLots()) await putLot(deps, lot.id, lot.input);
  const synthetic = Number(values.lots);
  if (synthetic > 0) await writeLots(client, tableName, syntheticCity({ lots: synthetic, seed: 42, now }));
  let everywhere = 0;
  if (values['every-partition']) {
    const template = syntheticCity({ lots: 1, seed: 1, now })[0]!;
    const lots = CENTRES.flatMap((centre) =>
      partitionsMeeting(centre, 50_000)
        .filter((p) => p.length === 5)
        .map((p) => ({ ...template, id: `every-${p}`, location: middleOf(p) })),
    );
    await writeLots(client, tableName, lots);
    everywhere = lots.length;
  }
  console.log(
    `${values.store}: ${demoLots().length} demo lots + ${synthetic} synthetic + ${everywhere} in every partition, radius 50 km, no match`,
  );
  console.log(
    'centre       Queries (directory)  items  read units  AWS units  max in flight     ms  outcome',
  );
  for (const centre of CENTRES) {
    for (let i = 0; i < Number(values.repeat); i++) {
      maxInFlight = 0;
      awsUnits = 0;
      const started = performance.now();
      let line: string;
      try {
        const { stats } = await findNearby(deps, {
          center: centre,
          radius: 50_000,
          limit: 10,
          minFree: 100_000,
          features: [],
          includeStale: true,
        });
        const ms = performance.now() - started;
        line = `${String(stats.requests).padStart(7)} ${`(${stats.directoryRequests})`.padStart(11)} ${String(stats.itemsRead).padStart(6)} ${stats.readUnits.toFixed(1).padStart(11)} ${awsUnits.toFixed(1).padStart(10)} ${String(maxInFlight).padStart(14)} ${ms.toFixed(0).padStart(6)}  ok`;
      } catch (error) {
        const ms = performance.now() - started;
        line = `${'-'.padStart(7)} ${''.padStart(11)} ${'-'.padStart(6)} ${'-'.padStart(11)} ${'-'.padStart(10)} ${String(maxInFlight).padStart(14)} ${ms.toFixed(0).padStart(6)}  ${(error as Error).name}: ${(error as Error).message}`;
      }
      console.log(`${centre.name.padEnd(12)} ${line}`);
    }
  }
  const parallel = Number(values.parallel);
  if (parallel > 0) {
    const app = createApp(deps);
    const timed = async (path: string) => {
      const started = performance.now();
      const res = await app.request(path);
      await res.arrayBuffer();
      return { status: res.status, ms: Math.round(performance.now() - started) };
    };
    const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
    console.log(`\n${parallel} at once through the app, with an ordinary 1 km query and /health meanwhile:`);
    for (const centre of CENTRES) {
      maxInFlight = 0;
      const started = performance.now();
      const wide = Array.from({ length: parallel }, () =>
        timed(`/v1/lots/nearby?lat=${centre.lat}&lon=${centre.lon}&radius=50000&minFree=100000`),
      );
      await delay(50);
      const [ordinary, health] = await Promise.all([
        timed('/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=1000'),
        timed('/health'),
      ]);
      const results = await Promise.all(wide);
      const statuses = new Map<number, number>();
      for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      console.log(
        `${centre.name.padEnd(12)} wide: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')} ` +
          `in ${Math.round(performance.now() - started)} ms (slowest ${Math.max(...results.map((r) => r.ms))} ms), ` +
          `max in flight ${maxInFlight}; 1 km query ${ordinary.status} in ${ordinary.ms} ms; ` +
          `/health ${health.status} in ${health.ms} ms`,
      );
    }
  }
} finally {
  client.destroy();
  await store.close();
}

/** The middle of a geohash-5 cell. */
function middleOf(hash: string) {
  const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
  const lat = [-90, 90];
  const lon = [-180, 180];
  let even = true;
  for (const char of hash) {
    const digit = BASE32.indexOf(char);
    for (let bit = 4; bit >= 0; bit--) {
      const range = even ? lon : lat;
      const mid = (range[0]! + range[1]!) / 2;
      if ((digit >> bit) & 1) range[0] = mid;
      else range[1] = mid;
      even = !even;
    }
  }
  return { lat: (lat[0]! + lat[1]!) / 2, lon: (lon[0]! + lon[1]!) / 2 };
}
