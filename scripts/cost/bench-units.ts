// Reads the units per operation out of a benchmark result file (bench/results/latest.json, the
// shape of bench/types.ts), taking the most expensive figure where the run measured several (the
// model should not promise what one dataset happened to allow).
import type { BenchResults, GeoRow, IngestRow } from '../../bench/types';
import type { UnitsPerOperation } from './model';

export class MissingFigureError extends Error {}

/**
 * An ingest row's read units without the API-key lookup, which the model adds from the scenario.
 * A request that looked its key up made two GetItems (key and lot) per request, one with the key
 * cached (API_KEY_CACHE_SECONDS set); a bench from before store requests were counted read the
 * key on every request. The key's strongly consistent unit per request is taken off when it was read.
 */
function withoutKeyRead(row: IngestRow): number {
  const units = row.readUnitsPerObservation;
  if (units === undefined) return NaN;
  const getItemsPerRequest = (row.storeRequestsPerObservationByCommand?.GetItem ?? 2 / row.batch) * row.batch;
  return getItemsPerRequest >= 1.5 ? Math.max(0, units - 1 / row.batch) : units;
}

export function unitsFromBench(results: Partial<BenchResults>, file: string): UnitsPerOperation {
  const missing = (what: string, section: string): never => {
    throw new MissingFigureError(
      `${file} has no ${what}: run \`npm run bench -- --quick --only ${section}\` (or the full bench) first`,
    );
  };
  // DynamoDB Local counts capacity as AWS does; dynalite's read units are its own.
  const allIngest: IngestRow[] = results.ingest ?? [];
  const onLocal = allIngest.filter((r) => r.store === 'dynamodb-local');
  const ingest = onLocal.length > 0 ? onLocal : allIngest;
  const worst = (rows: IngestRow[], pick: (r: IngestRow) => number | undefined) =>
    rows.reduce<IngestRow | undefined>(
      (w, r) => ((pick(r) ?? -1) > (w ? (pick(w) ?? -1) : -1) ? r : w),
      undefined,
    );
  const single = ingest.filter((r) => r.batch === 1);
  const batched = ingest.filter((r) => r.batch > 1);
  const singleWrite =
    worst(single, (r) => r.writeUnitsPerObservation) ?? missing('single-observation ingest row', 'ingest');
  const singleRead = withoutKeyRead(
    worst(single, (r) => r.readUnitsPerObservation) ??
      missing('readUnitsPerObservation (a bench from before it was measured)', 'ingest'),
  );
  const batchWrite =
    worst(batched, (r) => r.writeUnitsPerObservation) ?? missing('batched ingest row', 'ingest');
  const batchRead = withoutKeyRead(
    worst(batched, (r) => r.readUnitsPerObservation) ??
      missing('readUnitsPerObservation for batches', 'ingest'),
  );

  const ours: GeoRow[] = (results.geo ?? []).filter((r) => r.approach === 'ours');
  const nearby = ours.reduce<GeoRow | undefined>(
    (w, r) => (w === undefined || r.readUnitsPerQuery > w.readUnitsPerQuery ? r : w),
    undefined,
  );
  if (!nearby) missing('nearby rows (approach "ours")', 'geo');

  const reports = results.reports ?? missing('reports figures', 'reports');
  const forecast = (results as { forecast?: { forecastReadUnits?: number } }).forecast;

  return {
    writeUnitsPerObservation: singleWrite.writeUnitsPerObservation,
    readUnitsPerObservation: singleRead,
    writeUnitsPerBatchedObservation: batchWrite.writeUnitsPerObservation,
    readUnitsPerBatchedObservation: batchRead,
    batchSize: batchWrite.batch,
    nearbyReadUnits: nearby!.readUnitsPerQuery,
    // The section runs one report over all its lots and days (bench/sections/reports.ts).
    reportReadUnits: reports.readUnits ?? missing('report readUnits', 'reports'),
    reportLotDays: reports.lots * reports.days,
    ...(forecast?.forecastReadUnits !== undefined ? { forecastReadUnits: forecast.forecastReadUnits } : {}),
    sources: {
      ingest: `${singleWrite.store}, concurrency ${singleWrite.concurrency}`,
      nearby: `${nearby!.dataset} at ${nearby!.radius} m on ${nearby!.store} (the costliest row)`,
      reports: `${reports.lots} lots × ${reports.days} days on ${reports.store}`,
      ...(forecast?.forecastReadUnits !== undefined ? { forecast: 'bench forecast section' } : {}),
    },
  };
}
