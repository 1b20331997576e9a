// Benchmark section 3 (README "Benchmarks"): HTTP. Requests per second and p99 of GET /v1/lots/nearby (seeded synthetic
// metro, varied query points) against GET /health on the same server in the same run: autocannon on
// loopback, bounded durations, the two alternating within each repetition.
//
// The server is the project's app on @hono/node-server in its own process (lib/child.ts); autocannon
// runs here. Note that /health is not free: it asks the store (DescribeTable) on every call.
import autocannon from 'autocannon';
import { seededRandom } from '../../shared/domain/random';
import { offset, syntheticCity, writeLots } from '../../test/support/city';
import type { HttpResult, SectionOptions, StoreName } from '../types';
import { alongside, openBenchStore, round, spread } from './lib/common';
import { startHelper, takeCounts, untilIdle } from './lib/procs';

export interface HttpSettings {
  lots: number;
  seconds: number;
  connections: number;
  /** Distinct query points, cycled through. */
  points: number;
  store: StoreName;
}

export function httpSettings(o: SectionOptions): HttpSettings {
  return {
    lots: o.quick ? 2_000 : 10_000,
    seconds: o.quick ? 2 : 10,
    connections: 32,
    points: 200,
    store: o.ddbLocalEndpoint ? 'dynamodb-local' : 'dynalite',
  };
}

interface Run {
  rps: number;
  answered: number;
  p50: number;
  p99: number;
  failures: number;
}

export async function benchHttp(o: SectionOptions, settings = httpSettings(o)): Promise<HttpResult> {
  const store = await openBenchStore(settings.store, o, 'http');
  try {
    const now = Date.now();
    const city = syntheticCity({ lots: settings.lots, seed: 8_03, now });
    // The server starts (its own process) while the lots are written.
    const app = await alongside(
      startHelper({ mode: 'app', endpoint: store.endpoint, tableName: store.tableName }),
      () => writeLots(store.client, store.tableName, city),
    );
    // Query points: near a random lot (drivers search where lots are), up to 800 m off it.
    const random = seededRandom(8_3);
    const paths = Array.from({ length: settings.points }, () => {
      const lot = city[Math.floor(random() * city.length)]!;
      const p = offset(lot.location, 800 * random(), 2 * Math.PI * random());
      return `/v1/lots/nearby?lat=${p.lat}&lon=${p.lon}&radius=1000&limit=10`;
    });
    o.log(
      `http ${settings.store}: ${settings.lots} lots, ${settings.points} query points, ` +
        `${settings.connections} connections, ${settings.seconds} s per run × ${o.repetitions}`,
    );
    try {
      const url = app.ready.url!;
      let next = 0;
      const nearby = (seconds: number) =>
        load(url, settings.connections, seconds, () => paths[next++ % paths.length]!);
      const health = (seconds: number) => load(url, settings.connections, seconds, () => '/health');
      // Warm-up: not counted.
      await nearby(1);
      await health(1);
      await untilIdle(app);

      const runs = { nearby: [] as Run[], health: [] as Run[] };
      for (let rep = 0; rep < o.repetitions; rep++) {
        const order = rep % 2 === 0 ? (['nearby', 'health'] as const) : (['health', 'nearby'] as const);
        for (const what of order) {
          await takeCounts(app);
          const run = await (what === 'nearby' ? nearby : health)(settings.seconds);
          await untilIdle(app);
          const { meter } = await takeCounts(app);
          runs[what].push(run);
          const answered = Math.max(1, run.answered);
          o.log(
            `  rep ${rep + 1}: ${what} ${round(run.rps, 0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ` +
              `${round(meter.requests / answered, 1)} store requests and ${round(meter.itemsRead / answered, 1)} ` +
              `items read per request` +
              (run.failures ? `, ${run.failures} failed` : ''),
          );
        }
      }
      const nearbyRps = spread(runs.nearby.map((r) => r.rps));
      const healthRps = spread(runs.health.map((r) => r.rps));
      return {
        nearbyRps: round(nearbyRps.median, 1),
        healthRps: round(healthRps.median, 1),
        ratio: round(nearbyRps.median / healthRps.median, 3),
        nearbyP99Ms: spread(runs.nearby.map((r) => r.p99)).median,
        healthP99Ms: spread(runs.health.map((r) => r.p99)).median,
        errors: [...runs.nearby, ...runs.health].reduce((s, r) => s + r.failures, 0),
        store: settings.store,
        lots: settings.lots,
        connections: settings.connections,
        nearbyP50Ms: spread(runs.nearby.map((r) => r.p50)).median,
        healthP50Ms: spread(runs.health.map((r) => r.p50)).median,
        nearbyRpsSpread: roundSpread(nearbyRps),
        healthRpsSpread: roundSpread(healthRps),
      };
    } finally {
      await app.stop();
    }
  } finally {
    await store.close();
  }
}

const roundSpread = (s: { median: number; min: number; max: number }) => ({
  median: round(s.median, 1),
  min: round(s.min, 1),
  max: round(s.max, 1),
});

async function load(url: string, connections: number, seconds: number, path: () => string): Promise<Run> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, method: 'GET', path: path() }) }],
  });
  return {
    rps: result['2xx'] / result.duration,
    answered: result['2xx'],
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
