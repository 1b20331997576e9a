// Reads the units per operation out of a benchmark result file (bench/results/latest.json, the
// shape of bench/types.ts), taking the most expensive figure where the run measured several (the
// model should not promise what one dataset happened to allow).
import type { BenchResults, GeoRow, IngestRow } from '../../bench/types';
import type { UnitsPerOperation } from './model';

export class MissingFigureError extends Error {}

/**
 * An ingest row's read units without the API-key lookup, which the model adds from the scenario.
 * A bench that reports store requests per command ran with the key cache, whose sensors post
 * without pause, so their keys come from the cache. An older bench read the key on every request:
 * one strongly consistent unit per request, taken off here.
 */
function withoutKeyRead(row: IngestRow): number {
  const units = row.readUnitsPerObservation;
  if (units === undefined || row.storeRequestsPerObservationByCommand !== undefined) return units ?? NaN;
  return Math.max(0, units - 1 / row.batch);
}

export function unitsFromBench(results: Partial<BenchResults>, file: string): UnitsPerOperation {
  const missing = (what: string, section: string): never => {
    throw new MissingFigureError(
      `${file} has no ${what}: run \`npm run bench -- --quick --only ${section}\` (or the full bench) first`,
    );
  };
  const ingest: IngestRow[] = results.ingest ?? [];
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
