// Staff: utilization reports and heatmaps (CONTRACT §4, §4.1, §6).
// 1. Resolve the lots (one, a zone, or all) and the time zone; validate the range.
// 2. Bring each lot's rollups up to date (only lots with observations since the last build).
// 3. Combine quarter-hour rollups into local buckets; clipped edges and zone peaks use raw history.

import { lotStatus } from '../domain/lot';
import {
  type Bucket,
  type BucketSize,
  bucketsFor,
  MAX_DAILY_RANGE_DAYS,
  parseReportInstant,
  rangeProblem,
} from '../domain/utilization/buckets';
import { type HourInput, heatmap } from '../domain/utilization/heatmap';
import { lotRow, type RowFigures, zoneRow } from '../domain/utilization/rows';
import { combine, EMPTY_SUMMARY, type Summary, summarize } from '../domain/utilization/summary';
import { utcDay } from '../store/keys';
import type { StoredLot } from '../store/lot-item';
import { QUARTER_MS, type ReadStats } from '../store/rollups';
import { InvalidInputError, NotFoundError } from './errors';
import type { Dependencies } from './ports';

export interface ReportQuery {
  from: string;
  to: string;
  bucket?: BucketSize | undefined;
  lotId?: string | undefined;
  zone?: string | undefined;
  tz?: string | undefined;
}

export type UtilizationRow = ({ lotId: string } | { zone: string }) & {
  start: string;
  end: string;
} & RowFigures;

export interface UtilizationReport {
  from: string;
  to: string;
  bucket: BucketSize;
  tz: string;
  rows: UtilizationRow[];
  /** What the report read: rollup items and raw observations (also sent as headers). */
  stats: ReadStats;
}

type Deps = Pick<Dependencies, 'lots' | 'now' | 'rollups'>;

async function resolve(deps: Deps, q: ReportQuery, maxDays: number, bucket: BucketSize) {
  if (q.lotId !== undefined && q.zone !== undefined) {
    throw new InvalidInputError('choose one', [{ path: 'zone', message: 'give lotId or zone, not both' }]);
  }
  let lots: StoredLot[];
  if (q.lotId !== undefined) {
    const lot = await deps.lots.get(q.lotId, true); // consistent: a fresh rollup mark must be seen
    if (lot === null) throw new NotFoundError(`lot ${q.lotId} does not exist`);
    lots = [lot];
  } else {
    lots = await deps.lots.list(q.zone);
    if (q.zone !== undefined && lots.length === 0) throw new NotFoundError(`zone ${q.zone} has no lots`);
  }
  const zones = new Set(lots.map((l) => l.timeZone));
  const tz = q.tz ?? (zones.size <= 1 ? ([...zones][0] ?? 'UTC') : undefined);
  if (tz === undefined) {
    throw new InvalidInputError('several time zones', [
      {
        path: 'tz',
        message: `these lots are in ${[...zones].join(', ')}: say which zone the buckets follow`,
      },
    ]);
  }
  const from = parseReportInstant(q.from, tz);
  const to = parseReportInstant(q.to, tz);
  const errors = [];
  if (from === null)
    errors.push({ path: 'from', message: 'must be an ISO-8601 instant or a date YYYY-MM-DD' });
  if (to === null) errors.push({ path: 'to', message: 'must be an ISO-8601 instant or a date YYYY-MM-DD' });
  if (errors.length) throw new InvalidInputError('invalid range', errors);
  const problem = rangeProblem(from!, to!, bucket);
  if (problem) throw new InvalidInputError('invalid range', [problem]);
  // Local days, not elapsed time: 366 of them, whatever DST does.
  if (bucket === 'day' && bucketsFor(from!, to!, 'day', tz).length > MAX_DAILY_RANGE_DAYS) {
    throw new InvalidInputError('range too long', [
      { path: 'to', message: `daily reports cover at most ${MAX_DAILY_RANGE_DAYS} days` },
    ]);
  }
  if (to! - from! > maxDays * 86_400_000 + 7_200_000) {
    throw new InvalidInputError('range too long', [{ path: 'to', message: `at most ${maxDays} days` }]);
  }
  return { lots, tz, from: from!, to: to! };
}

/** Summaries of one lot over each bucket, from its rollups (and raw history for clipped edges). */
async function lotSummaries(
  deps: Deps,
  lot: StoredLot,
  buckets: Bucket[],
  stats: ReadStats,
): Promise<Summary[]> {
  if (buckets.length === 0) return [];
  const from = buckets[0]!.start;
  const to = buckets.at(-1)!.end;
  if (lot.rollupFrom !== null && lot.rollupFrom < to) await deps.rollups.ensureFresh(lot, stats);
  const days = await deps.rollups.read(lot, utcDay(from), utcDay(to - 1), stats);
  const params = { capacity: lot.capacity, staleAfterMs: lot.staleAfterSeconds * 1000 };
  const quarter = (qs: number) => days.get(utcDay(qs))?.quarters[Math.floor((qs % 86_400_000) / QUARTER_MS)];

  const summaries: Summary[] = [];
  for (const b of buckets) {
    let s: Summary = { ...EMPTY_SUMMARY };
    for (let qs = Math.floor(b.start / QUARTER_MS) * QUARTER_MS; qs < b.end; qs += QUARTER_MS) {
      const q = quarter(qs);
      if (qs >= b.start && qs + QUARTER_MS <= b.end) {
        s = combine(s, q?.summary ?? EMPTY_SUMMARY);
        continue;
      }
      // A bucket edge inside a quarter (a range bound off the quarter hour): the exact steps.
      const steps = await deps.rollups.stepsBetween(lot, qs, qs + QUARTER_MS, stats);
      s = combine(s, summarize(steps, params, Math.max(qs, b.start), Math.min(qs + QUARTER_MS, b.end)));
    }
    summaries.push(s);
  }
  return summaries;
}

export async function utilizationReport(deps: Deps, q: ReportQuery): Promise<UtilizationReport> {
  const bucket = q.bucket ?? 'hour';
  const { lots, tz, from, to } = await resolve(
    deps,
    q,
    bucket === 'hour' ? 32 : MAX_DAILY_RANGE_DAYS,
    bucket,
  );
  const buckets = bucketsFor(from, to, bucket, tz);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const rows: UtilizationRow[] = [];
  const perLot = await mapLimit(lots, 8, (lot) => lotSummaries(deps, lot, buckets, stats));

  if (q.zone !== undefined) {
    // The zone's summed occupancy needs its lots' step functions over the range.
    const steps = await mapLimit(lots, 8, (lot) => deps.rollups.stepsBetween(lot, from, to, stats));
    buckets.forEach((b, i) => {
      const members = lots.map((lot, k) => ({
        capacity: lot.capacity,
        staleAfterMs: lot.staleAfterSeconds * 1000,
        steps: steps[k]!,
        summary: perLot[k]![i]!,
      }));
      rows.push({ zone: q.zone!, start: b.startIso, end: b.endIso, ...zoneRow(members, b.start, b.end) });
    });
  } else {
    lots.forEach((lot, k) => {
      buckets.forEach((b, i) => {
        rows.push({
          lotId: lot.id,
          start: b.startIso,
          end: b.endIso,
          ...lotRow(perLot[k]![i]!, lot.capacity, b.end - b.start),
        });
      });
    });
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket, tz, rows, stats };
}

export async function heatmapReport(deps: Deps, q: ReportQuery) {
  const { lots, tz, from, to } = await resolve(deps, q, MAX_DAILY_RANGE_DAYS, 'day');
  const hours = bucketsFor(from, to, 'hour', tz);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const perLot = await mapLimit(lots, 8, (lot) => lotSummaries(deps, lot, hours, stats));
  const inputs: HourInput[] = hours.map((h, i) => {
    const input = { start: h.start, end: h.end, integral: 0, capacityCoveredMs: 0, capacity: 0 };
    lots.forEach((lot, k) => {
      const s = perLot[k]![i]!;
      input.integral += s.integral;
      input.capacityCoveredMs += lot.capacity * s.coveredMs;
      input.capacity += lot.capacity;
    });
    return input;
  });
  return { tz, cells: heatmap(inputs, tz), stats };
}

export const CSV_COLUMNS = [
  'start',
  'end',
  'avgOccupied',
  'utilization',
  'peakOccupied',
  'peakAt',
  'minOccupied',
  'timeFull',
  'coverage',
  'observations',
  'flags',
] as const;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Rollup maintenance (the scheduled job, and a timer in local mode): rebuilds the rollups of every
 * lot with observations not yet rolled up, so reports read rollups only.
 */
export async function refreshRollups(
  deps: Deps & Pick<Dependencies, 'metrics'>,
): Promise<{ lots: number; rebuilt: number; staleLots: number; stats: ReadStats }> {
  const lots = await deps.lots.list();
  const marked = lots.filter((lot) => lot.rollupFrom !== null);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  await mapLimit(marked, 4, (lot) => deps.rollups.ensureFresh(lot, stats));
  // The job already reads every lot: it is also where the city learns how many went silent.
  const now = deps.now();
  const staleLots = lots.filter((lot) => lotStatus(lot, now) === 'stale').length;
  deps.metrics.count('RollupsRebuilt', marked.length);
  deps.metrics.count('StaleLots', staleLots);
  return { lots: lots.length, rebuilt: marked.length, staleLots, stats };
}
