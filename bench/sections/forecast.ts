// Benchmark section 6 (README "Benchmarks", "Forecasts"): what a forecast costs. Read units of one
// GET /v1/lots/{id}/forecast (the lot, its stored model, nothing else), and of the same nearby
// queries without and with `arriveAt` (which adds one batch read of the returned lots' models),
// through the real app on a metered client (lib/meter.ts: ReturnConsumedCapacity on every call).
//
// Lots near the demo centre get a seeded history through the ingest use case; the scheduled job's
// work (refreshRollups, then refreshForecastModels) fits their models; then every lot's forecast
// and a set of nearby queries are measured. --quick uses a few lots and days (a few seconds).
import { DEMO_CENTRE } from '../../shared/demo/seed';
import { createDependencies } from '../../shared/dependencies';
import type { Observation } from '../../shared/domain/observation';
import { seededRandom } from '../../shared/domain/random';
import { createApp } from '../../shared/http/app';
import { mapLimit } from '../../shared/lib/concurrency';
import { createDynamoClient } from '../../shared/store/client';
import { forecastLot, refreshForecastModels } from '../../shared/use-cases/forecast';
import { ingestObservations } from '../../shared/use-cases/ingest';
import { putLot } from '../../shared/use-cases/manage-lots';
import { refreshRollups } from '../../shared/use-cases/reports';
import type { ForecastBenchResult, SectionOptions, StoreName } from '../types';
import { type BenchStore, openBenchStore, round, spread } from './lib/common';
import { meterClient } from './lib/meter';

const DAY_MS = 86_400_000;

export interface ForecastSettings {
  lots: number;
  days: number;
  observationsPerLotPerDay: number;
  /** Nearby queries, each asked without and with arriveAt. */
  queries: number;
  store: StoreName;
}

export function forecastSettings(o: SectionOptions): ForecastSettings {
  return {
    // Quick: a few seconds inside the quick run's 3 minutes; the per-request figures are the same.
    lots: o.quick ? 12 : 100,
    days: o.quick ? 8 : 29,
    observationsPerLotPerDay: o.quick ? 12 : 48,
    queries: o.quick ? 10 : 100,
    store: o.ddbLocalEndpoint ? 'dynamodb-local' : 'dynalite',
  };
}

export async function benchForecast(
  o: SectionOptions,
  settings = forecastSettings(o),
): Promise<ForecastBenchResult> {
  const store = await openBenchStore(settings.store, o, 'forecast');
  try {
    const now = Date.now();
    o.log(
      `forecast ${settings.store}: seeding ${settings.lots} lots × ${settings.days} days × ` +
        `${settings.observationsPerLotPerDay} observations`,
    );
    const seedStarted = performance.now();
    const { ids, locations, observations } = await seed(store, settings, now);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const jobDeps = createDependencies({ client: store.client, tableName: store.tableName });
    const fitStarted = performance.now();
    const lots = await jobDeps.lots.list();
    await refreshRollups(jobDeps, lots);
    const refreshed = await refreshForecastModels(jobDeps, lots, {
      fitsPerRun: settings.lots,
      concurrency: 4,
      rawObservationsPerLot: 250_000,
    });
    const fitSeconds = (performance.now() - fitStarted) / 1000;
    o.log(
      `  seeded ${observations} observations in ${round(seedSeconds, 1)} s; rollups and ${refreshed.fitted} ` +
        `models in ${round(fitSeconds, 1)} s`,
    );

    // The API on its own metered client, as the read-only function would run it.
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: store.endpoint,
      requestTimeoutMs: 30_000,
    });
    const meter = meterClient(client);
    const deps = createDependencies({ client, tableName: store.tableName });
    const app = createApp(deps);
    const get = async (path: string) => {
      meter.take();
      const started = performance.now();
      const res = await app.request(path);
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return { body: (await res.json()) as Record<string, unknown>, ms, counts: meter.take() };
    };
    try {
      const forecastUnits: number[] = [];
      const forecastRequests: number[] = [];
      const forecastMs: number[] = [];
      for (let rep = 0; rep < o.repetitions; rep++) {
        for (const id of ids) {
          const r = await get(`/v1/lots/${id}/forecast`);
          forecastUnits.push(r.counts.readUnits);
          forecastRequests.push(r.counts.requests);
          forecastMs.push(r.ms);
        }
      }
      // A forecast fitted on demand (a past asOf, staff's): what the route does without the day's
      // stored model, through the use case on the same metered client.
      const onDemandUnits: number[] = [];
      const onDemandRaw: number[] = [];
      const onDemandMs: number[] = [];
      for (const id of ids) {
        meter.take();
        const started = performance.now();
        const r = await forecastLot(deps, { lotId: id, asOf: now - DAY_MS });
        onDemandMs.push(performance.now() - started);
        onDemandUnits.push(meter.take().readUnits);
        onDemandRaw.push(r.stats.rawObservationsRead);
      }
      // Drivers near the lots: a few hundred metres from one of them.
      const random = seededRandom(14_06);
      const points = Array.from({ length: settings.queries }, () => {
        const near = locations[Math.floor(random() * locations.length)]!;
        return { lat: near.lat + (random() - 0.5) * 0.006, lon: near.lon + (random() - 0.5) * 0.009 };
      });
      const plain: number[] = [];
      const arriving: number[] = [];
      const plainMs: number[] = [];
      const arrivingMs: number[] = [];
      let predicted = 0;
      let returned = 0;
      for (let rep = 0; rep < o.repetitions; rep++) {
        for (const p of points) {
          const q = `/v1/lots/nearby?lat=${p.lat.toFixed(6)}&lon=${p.lon.toFixed(6)}&radius=1000&limit=10`;
          const a = await get(q);
          const arriveAt = new Date(Date.now() + 30 * 60_000).toISOString();
          const b = await get(`${q}&arriveAt=${arriveAt}`);
          plain.push(a.counts.readUnits);
          arriving.push(b.counts.readUnits);
          plainMs.push(a.ms);
          arrivingMs.push(b.ms);
          const lotsB = b.body.lots as { prediction: unknown }[];
          returned += lotsB.length;
          predicted += lotsB.filter((l) => l.prediction !== null).length;
        }
      }
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
      const ms = spread(forecastMs);
      return {
        store: settings.store,
        lots: settings.lots,
        days: settings.days,
        observations,
        modelsFitted: refreshed.fitted,
        fitSeconds: round(fitSeconds, 1),
        forecastReadUnits: round(spread(forecastUnits).median, 2),
        forecastReadUnitsMax: round(Math.max(...forecastUnits), 2),
        forecastRequests: round(spread(forecastRequests).median, 1),
        forecastMs: round(ms.median, 1),
        onDemandReadUnits: round(spread(onDemandUnits).median, 1),
        onDemandRawObservations: round(spread(onDemandRaw).median, 0),
        onDemandMs: round(spread(onDemandMs).median, 1),
        nearbyQueries: settings.queries,
        nearbyReadUnits: round(mean(plain), 2),
        nearbyArriveAtReadUnits: round(mean(arriving), 2),
        arriveAtRatio: round(mean(arriving) / Math.max(1e-9, mean(plain)), 2),
        nearbyMs: round(spread(plainMs).median, 1),
        nearbyArriveAtMs: round(spread(arrivingMs).median, 1),
        lotsPerNearbyAnswer: round(returned / Math.max(1, plain.length), 1),
        predictedShare: round(predicted / Math.max(1, returned), 2),
      };
    } finally {
      client.destroy();
    }
  } finally {
    await store.close();
  }
}

/** Lots around the demo centre and their history up to a minute ago. */
async function seed(store: BenchStore, settings: ForecastSettings, now: number) {
  const deps = createDependencies({ client: store.client, tableName: store.tableName });
  const random = seededRandom(14_05);
  const ids = Array.from({ length: settings.lots }, (_, i) => `fc-${String(i).padStart(4, '0')}`);
  const capacities = ids.map(() => 40 + Math.floor(random() * 560));
  const locations = ids.map(() => ({
    lat: DEMO_CENTRE.lat + (random() - 0.5) * 0.03,
    lon: DEMO_CENTRE.lon + (random() - 0.5) * 0.045,
  }));
  await mapLimit(ids, 8, async (id, i) => {
    await putLot(deps, id, {
      name: `Forecast lot ${i}`,
      location: locations[i]!,
      capacity: capacities[i]!,
      type: 'surface',
      features: [],
      timeZone: 'Europe/London',
      // Fresh between readings (quick: every 2 hours), so every lot is in the nearby answers.
      staleAfterSeconds: Math.max(3600, Math.ceil((1.5 * DAY_MS) / settings.observationsPerLotPerDay / 1000)),
    });
  });
  const interval = DAY_MS / settings.observationsPerLotPerDay;
  const from = now - settings.days * DAY_MS;
  let observations = 0;
  await mapLimit(ids, 8, async (id, i) => {
    const r = seededRandom(2_000 + i);
    const capacity = capacities[i]!;
    const all: Observation[] = [];
    for (let at = from + Math.floor(r() * interval); at < now - 60_000; at += interval) {
      const hour = (at % DAY_MS) / 3_600_000;
      const weekend = new Date(at).getUTCDay() % 6 === 0;
      const busy = Math.exp(-((hour - 13) ** 2) / 18) * (weekend ? 0.5 : 1);
      const occupied = Math.round(capacity * Math.min(1, Math.max(0, 0.1 + 0.8 * busy + (r() - 0.5) * 0.1)));
      all.push({ kind: 'count', eventId: `${id}-${at}`, observedAt: Math.round(at), occupied });
    }
    for (let b = 0; b < all.length; b += 100) {
      const report = await ingestObservations(deps, id, all.slice(b, b + 100));
      observations += report.applied + report.stale;
    }
  });
  return { ids, locations, observations };
}
