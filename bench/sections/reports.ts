// Benchmark section 5 (README "Benchmarks"): reports. Items read and time for a 30-day daily utilization report over many
// lots (1,000; --quick uses fewer and says so in `lots`), against the raw observations in that period.
//
// Observations are seeded through the real ingest path (the ingest use case, batches of 100, as a
// sensor's POST would apply them) with a seeded generator, the rollups are brought up to date as the
// scheduled job does (refreshRollups), then the report (shared/use-cases/reports.ts) runs over all
// lots, tz UTC, daily buckets. Items read are counted on the DynamoDB client (lib/meter.ts: Query
// ScannedCount, GetItem hits, BatchGetItem responses), so lot reads count too, not only rollups.

import { DEMO_CENTRE } from '../../shared/demo/seed';
import { createDependencies } from '../../shared/dependencies';
import type { Observation } from '../../shared/domain/observation';
import { seededRandom } from '../../shared/domain/random';
import { mapLimit } from '../../shared/lib/concurrency';
import { createDynamoClient } from '../../shared/store/client';
import { ingestObservations } from '../../shared/use-cases/ingest';
import { putLot } from '../../shared/use-cases/manage-lots';
import { REPORT_LIMITS, refreshRollups, utilizationReport } from '../../shared/use-cases/reports';
import type { ReportsResult, SectionOptions, StoreName } from '../types';
import { type BenchStore, openBenchStore, round, spread } from './lib/common';
import { meterClient } from './lib/meter';

const DAY_MS = 86_400_000;

export interface ReportsSettings {
  lots: number;
  days: number;
  /** Readings per lot and day (evenly spaced, jittered). */
  observationsPerLotPerDay: number;
  store: StoreName;
  /** Observations per ingest call while seeding (the API allows up to 100). */
  batch: number;
}

export function reportsSettings(o: SectionOptions): ReportsSettings {
  return {
    lots: o.quick ? 100 : 1_000,
    days: 30,
    observationsPerLotPerDay: o.quick ? 4 : 12,
    store: o.ddbLocalEndpoint ? 'dynamodb-local' : 'dynalite',
    batch: 100,
  };
}

export interface ReportsMeasurement extends ReportsResult {
  /** Report rows as the use case returned them (lots × days when every lot has data). */
  rows: number;
}

export async function benchReports(
  o: SectionOptions,
  settings = reportsSettings(o),
): Promise<ReportsMeasurement> {
  const store = await openBenchStore(settings.store, o, 'reports');
  try {
    // The 30 whole UTC days before today: recent enough for the ingest path (nothing from the future).
    const to = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const from = to - settings.days * DAY_MS;
    o.log(
      `reports ${settings.store}: seeding ${settings.lots} lots × ${settings.days} days × ` +
        `${settings.observationsPerLotPerDay} observations through the ingest use case`,
    );
    const seedStarted = performance.now();
    const rawObservations = await seed(store, settings, from);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const refreshStarted = performance.now();
    const refreshed = await refreshRollups(
      createDependencies({ client: store.client, tableName: store.tableName }),
    );
    const refreshSeconds = (performance.now() - refreshStarted) / 1000;
    o.log(
      `  seeded ${rawObservations} observations in ${round(seedSeconds, 1)} s; rollups of ` +
        `${refreshed.rebuilt} lots rebuilt in ${round(refreshSeconds, 1)} s`,
    );

    // The report on its own metered client, as the API function would run it.
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: store.endpoint,
      requestTimeoutMs: 30_000,
    });
    const meter = meterClient(client);
    const deps = createDependencies({ client, tableName: store.tableName });
    const query = { from: isoDay(from), to: isoDay(to), bucket: 'day' as const, tz: 'UTC' };
    try {
      const times: number[] = [];
      let first: {
        counts: ReturnType<typeof meter.take>;
        rows: number;
        rollups: number;
        raw: number;
      } | null = null;
      for (let rep = 0; rep < o.repetitions; rep++) {
        meter.take();
        const started = performance.now();
        // All lots come in pages (README "Limits"): the report is every page, followed by its cursor.
        const report = { rows: 0, pages: 0, stats: { itemsRead: 0, rawObservationsRead: 0 } };
        let cursor: string | undefined;
        do {
          const page = await utilizationReport(deps, { ...query, cursor });
          report.rows += page.rows.length;
          report.pages++;
          report.stats.itemsRead += page.stats.itemsRead;
          report.stats.rawObservationsRead += page.stats.rawObservationsRead;
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        times.push(performance.now() - started);
        const counts = meter.take();
        o.log(
          `  rep ${rep + 1}: ${round(times.at(-1)!, 0)} ms, ${counts.itemsRead} items read in ` +
            `${counts.requests} requests (${report.stats.itemsRead} rollup, ${report.stats.rawObservationsRead} raw), ` +
            `${report.rows} rows in ${report.pages} pages`,
        );
        first ??= {
          counts,
          rows: report.rows,
          rollups: report.stats.itemsRead,
          raw: report.stats.rawObservationsRead,
        };
      }
      const zone = await benchZoneReport(o, deps, meter, query, settings);
      const ms = spread(times);
      const { counts, rows, rollups, raw } = first!;
      return {
        lots: settings.lots,
        days: settings.days,
        itemsRead: counts.itemsRead,
        rawObservations,
        ms: round(ms.median, 1),
        store: settings.store,
        msSpread: { median: round(ms.median, 1), min: round(ms.min, 1), max: round(ms.max, 1) },
        lotItemsRead: counts.itemsRead - rollups - raw,
        rollupItemsRead: rollups,
        rawItemsRead: raw,
        requests: counts.requests,
        readUnits: round(counts.readUnits, 1),
        rows,
        seedSeconds: round(seedSeconds, 1),
        rollupRefreshSeconds: round(refreshSeconds, 1),
        observationsPerLotPerDay: settings.observationsPerLotPerDay,
        ...zone,
      };
    } finally {
      client.destroy();
    }
  } finally {
    await store.close();
  }
}

/**
 * The zone report of `zone-0` over the same range: what it reads from zone rollups (as the job left
 * them), and the same report with zone rollups hidden (every day raw, as before them), whose
 * figure is the report's own count plus the lot items, which do not change.
 */
async function benchZoneReport(
  o: SectionOptions,
  deps: ReturnType<typeof createDependencies>,
  meter: ReturnType<typeof meterClient>,
  query: { from: string; to: string; bucket: 'day'; tz: string },
  settings: ReportsSettings,
) {
  const zone = 'zone-0';
  const times: number[] = [];
  let items = 0;
  let raw = 0;
  let rows = 0;
  let lotItems = 0;
  for (let rep = 0; rep < o.repetitions; rep++) {
    meter.take();
    const started = performance.now();
    const report = await utilizationReport(deps, { ...query, zone });
    times.push(performance.now() - started);
    const counts = meter.take();
    if (rep === 0) {
      items = counts.itemsRead;
      raw = report.stats.rawObservationsRead;
      rows = report.rows.length;
      lotItems = counts.itemsRead - report.stats.itemsRead - report.stats.rawObservationsRead;
    }
  }
  const lots = (await deps.lots.list(zone)).length;
  const lotDays = lots * settings.days;
  // The path before zone rollups: no zone rollup matches, and nothing is written back. Its raw
  // reads may pass the report's raw budget (the full run's 100-lot zone reads 36,000): the
  // service would refuse that report with a 400, so the comparison lifts the budget to count it.
  const rawPath = await utilizationReport(
    {
      ...deps,
      rollups: Object.assign(Object.create(deps.rollups) as typeof deps.rollups, {
        readZone: async () => new Map(),
        writeZone: async () => {},
      }),
    },
    { ...query, zone },
    { ...REPORT_LIMITS, rawObservations: Number.MAX_SAFE_INTEGER },
  );
  const rawPathItems = lotItems + rawPath.stats.itemsRead + rawPath.stats.rawObservationsRead;
  o.log(
    `  zone report (${lots} lots, ${rows} rows): ${items} items read (${round(items / lotDays, 3)} per lot-day, ` +
      `${raw} raw); without zone rollups ${rawPathItems} (${round(rawPathItems / lotDays, 3)} per lot-day)`,
  );
  return {
    zoneItemsRead: items,
    zoneLots: lots,
    zoneItemsPerLotDay: round(items / lotDays, 3),
    zoneRawItemsRead: raw,
    zoneMs: round(spread(times).median, 1),
    zoneRawPathItemsPerLotDay: round(rawPathItems / lotDays, 3),
  };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Lots and their history from `from` on; returns how many observations were applied. */
async function seed(store: BenchStore, settings: ReportsSettings, from: number): Promise<number> {
  const deps = createDependencies({ client: store.client, tableName: store.tableName });
  const random = seededRandom(8_05);
  const ids = Array.from({ length: settings.lots }, (_, i) => `report-${String(i).padStart(5, '0')}`);
  const capacities = ids.map(() => 40 + Math.floor(random() * 560));
  await mapLimit(ids, 16, async (id, i) => {
    await putLot(deps, id, {
      name: `Report lot ${i}`,
      location: {
        lat: DEMO_CENTRE.lat + (random() - 0.5) * 0.2,
        lon: DEMO_CENTRE.lon + (random() - 0.5) * 0.3,
      },
      capacity: capacities[i]!,
      type: 'surface',
      features: [],
      zone: `zone-${i % 10}`,
      timeZone: 'Europe/London',
      staleAfterSeconds: 3600,
    });
  });
  const perDay = settings.observationsPerLotPerDay;
  const interval = DAY_MS / perDay;
  let applied = 0;
  await mapLimit(ids, 16, async (id, i) => {
    const r = seededRandom(1_000 + i);
    const capacity = capacities[i]!;
    const all: Observation[] = [];
    for (let k = 0; k < settings.days * perDay; k++) {
      const at = from + k * interval + Math.floor(r() * interval * 0.5);
      const hour = (at % DAY_MS) / 3_600_000;
      const busy = Math.exp(-((hour - 13) ** 2) / 18);
      const occupied = Math.round(
        capacity * Math.min(1.02, Math.max(0, 0.1 + 0.8 * busy + (r() - 0.5) * 0.2)),
      );
      all.push({ kind: 'count', eventId: `${id}-${k}`, observedAt: at, occupied });
    }
    for (let b = 0; b < all.length; b += settings.batch) {
      const report = await ingestObservations(deps, id, all.slice(b, b + settings.batch));
      applied += report.applied + report.stale;
    }
  });
  return applied;
}
