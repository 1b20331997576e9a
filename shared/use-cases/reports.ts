// Staff: utilization reports and heatmaps (README "Utilization reports" and "Limits").
// 1. Resolve the lots (one, a zone, or all) and the time zone; check the range against the time
//    domain and its length, and the request against the report budget, before reading anything heavy.
// 2. Bring each lot's rollups up to date (only lots with observations since the last build).
// 3. Combine quarter-hour rollups into local buckets. Bucket edges inside a UTC quarter hour (a
//    range bound at 10:07, or a zone whose offset then was −0:44:30) use the lots' exact steps,
//    read once per lot (or once per cut quarter when there are only two); zones' summed peaks come
//    from zone rollups where they match the lots, else from exact steps (./zone-rollups).
// All-lots utilization reports come in pages of whole lots (`cursor`); every long loop yields.

import { lotStatus } from '../domain/lot';
import { dataScope } from '../domain/lot-incarnation';
import type { OccupancyStep } from '../domain/observation';
import { loadOpeningHours } from '../domain/opening-hours';
import { Pacer } from '../domain/pacer';
import type { StoredLot } from '../domain/stored-lot';
import { inTimeDomain, TIME_DOMAIN_MESSAGE } from '../domain/time-domain';
import {
  type Bucket,
  type BucketSize,
  bucketsFor,
  MAX_DAILY_RANGE_DAYS,
  parseReportInstant,
  rangeProblem,
} from '../domain/utilization/buckets';
import { type HourInput, heatmap } from '../domain/utilization/heatmap';
import { lotRow, type RowFigures, summedPeaks, type ZoneMember, zoneRow } from '../domain/utilization/rows';
import {
  combineInto,
  combinePacked,
  EMPTY_SUMMARY,
  type PackedSummary,
  QUARTER_MS,
  type Summary,
  summarize,
} from '../domain/utilization/summary';
import { combinePeak, type PackedPeak } from '../domain/utilization/zone-quarters';
import { canonicalTimeZone } from '../domain/zoned-time';
import { mapLimit } from '../lib/concurrency';
import { InvalidInputError, NotFoundError } from './errors';
import { cursorJson } from './page-cursor';
import type { Dependencies, ReadStats } from './ports';
import { buildZoneDays, dayRuns, matchingQuarters, saveZoneDays } from './zone-rollups';

const DAY_MS = 86_400_000;

/**
 * What one report may cost (README "Limits", where the figures behind these numbers are). Rows
 * are what a client receives; lots and lot-days are what a request reads (a store query per lot,
 * an item of up to 5 KB per lot and UTC day); raw observations are history read for zones' summed
 * peaks on days no zone rollup matches, and for bucket edges off the quarter hour. Measured on DynamoDB Local, the heaviest request
 * each allows answers in a few seconds, well inside the API functions' 15 s.
 */
export interface ReportLimits {
  /** Rows (lots × buckets) of one utilization report, all its pages together. */
  rows: number;
  /** Rows in one response: a page of the longest rows stays under 4 MB (Lambda answers ≤ 6 MB). */
  rowsPerPage: number;
  /** Lots one request reads: a page of an all-lots report, a heatmap. */
  lots: number;
  /** Lots of one zone report: each costs a rollup read, plus two (carried state, history) per span read raw. */
  zoneLots: number;
  /** Rollup items (lot × UTC day) one request reads. */
  lotDays: number;
  /** Raw observations one request reads. */
  rawObservations: number;
}

export const REPORT_LIMITS: Readonly<ReportLimits> = {
  rows: 100_000,
  rowsPerPage: 8_000,
  lots: 500,
  zoneLots: 200,
  lotDays: 5_000,
  rawObservations: 25_000,
};

export interface ReportQuery {
  from: string;
  to: string;
  bucket?: BucketSize | undefined;
  lotId?: string | undefined;
  zone?: string | undefined;
  tz?: string | undefined;
  cursor?: string | undefined;
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
  /** Where the next page of an all-lots report starts; absent on the last page. */
  nextCursor?: string;
  /** What the report read: rollup items and raw observations (also sent as headers). */
  stats: ReadStats;
}

type Deps = Pick<Dependencies, 'lots' | 'now' | 'rollups'>;

const tooMuch = (message: string) => new InvalidInputError('report too large', [{ path: 'to', message }]);

/** UTC days that [from, to) touches: the rollup items one lot contributes. */
const utcDays = (from: number, to: number) => Math.floor((to - 1) / DAY_MS) - Math.floor(from / DAY_MS) + 1;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function resolve(deps: Deps, q: ReportQuery, bucket: BucketSize) {
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
  // Lots stored before zone names were made canonical may spell one zone several ways.
  const zones = new Set(lots.map((l) => canonicalTimeZone(l.timeZone) ?? l.timeZone));
  const tz = q.tz ?? (zones.size <= 1 ? ([...zones][0] ?? 'UTC') : undefined);
  if (tz === undefined) {
    throw new InvalidInputError('several time zones', [
      {
        path: 'tz',
        message: `these lots are in ${[...zones].join(', ')}: say which zone the buckets follow`,
      },
    ]);
  }
  const bounds = { from: parseReportInstant(q.from, tz), to: parseReportInstant(q.to, tz) };
  const errors: { path: string; message: string }[] = [];
  for (const path of ['from', 'to'] as const) {
    const ms = bounds[path];
    if (ms === null) errors.push({ path, message: 'must be an ISO-8601 instant or a date YYYY-MM-DD' });
    else if (!inTimeDomain(ms)) errors.push({ path, message: TIME_DOMAIN_MESSAGE });
  }
  if (errors.length) throw new InvalidInputError('invalid range', errors);
  const from = bounds.from!;
  const to = bounds.to!;
  const problem = rangeProblem(from, to, bucket);
  if (problem) throw new InvalidInputError('invalid range', [problem]);
  // Local days, not elapsed time: 366 of them, whatever DST does.
  if (bucket === 'day' && bucketsFor(from, to, 'day', tz).length > MAX_DAILY_RANGE_DAYS) {
    throw new InvalidInputError('range too long', [
      { path: 'to', message: `daily reports cover at most ${MAX_DAILY_RANGE_DAYS} days` },
    ]);
  }
  return { lots, tz, from, to };
}

/** Raw observations a request may still read; a read that would pass it is refused up front. */
class RawBudget {
  private left: number;
  constructor(private readonly limit: number) {
    this.left = limit;
  }
  charge(observations: number) {
    this.left -= observations;
    if (this.left < 0) {
      throw tooMuch(
        `the history this report needs holds more than ${this.limit} observations: ` +
          'shorten the range (or report on fewer lots)',
      );
    }
  }
}

/** A zone report or a heatmap reads every lot it covers in one request. */
function checkReads(
  lots: number,
  maxLots: number,
  days: number,
  limits: ReportLimits,
  what: string,
  narrower: string,
) {
  if (lots > maxLots) {
    throw tooMuch(`${what} reads each of its lots: ${lots} lots is more than ${maxLots}; ${narrower}`);
  }
  if (lots * days > limits.lotDays) {
    throw tooMuch(
      `${what} reads one rollup per lot and UTC day: ${lots} lots × ${days} days is more than ` +
        `${limits.lotDays}; shorten the range, or ${narrower}`,
    );
  }
}

/** A lot's rollups over a range, fresh, by UTC day number (epoch ms ÷ 1 day). */
interface LotRollups {
  lot: StoredLot;
  days: Map<number, readonly PackedSummary[]>;
  /** The stamp of each day's rollup (what zone rollups are checked against). */
  builds: Map<number, string>;
  /** Observations per UTC day (filled as needed). */
  observationsByDay: Map<number, number>;
}

async function loadRollups(deps: Deps, lot: StoredLot, from: number, to: number, stats: ReadStats) {
  if (lot.rollupFrom !== null && lot.rollupFrom < to) await deps.rollups.ensureFresh(lot, stats);
  const items = await deps.rollups.read(lot, utcDay(from), utcDay(to - 1), stats);
  const days = new Map<number, readonly PackedSummary[]>();
  const builds = new Map<number, string>();
  for (const item of items.values()) {
    const day = Date.parse(`${item.day}T00:00:00Z`) / DAY_MS;
    days.set(day, item.quarters);
    builds.set(day, item.build);
  }
  return { lot, days, builds, observationsByDay: new Map() } satisfies LotRollups;
}

const quarterOf = (r: LotRollups, qs: number): PackedSummary =>
  r.days.get(Math.floor(qs / DAY_MS))?.[Math.floor((qs % DAY_MS) / QUARTER_MS)] ?? 0;
const observationsOf = (p: PackedSummary) => (p === 0 ? 0 : p[7]);

/**
 * Observations the rollups count from the start of `from`'s UTC day up to `to`: what
 * stepsBetween(from, to) reads from raw history (it starts from the day's carried state).
 */
function observationsRead(r: LotRollups, from: number, to: number): number {
  let n = 0;
  const lastDay = Math.floor((to - 1) / DAY_MS);
  for (let day = Math.floor(from / DAY_MS); day <= lastDay; day++) {
    const quarters = r.days.get(day);
    if (!quarters) continue;
    if ((day + 1) * DAY_MS <= to) {
      const known = r.observationsByDay.get(day);
      const total = known ?? quarters.reduce((sum: number, q) => sum + observationsOf(q), 0);
      if (known === undefined) r.observationsByDay.set(day, total);
      n += total;
    } else {
      for (let q = 0; q * QUARTER_MS + day * DAY_MS < to; q++) n += observationsOf(quarters[q] ?? 0);
    }
  }
  return n;
}

/** UTC quarters that a bucket edge cuts (edges not on a quarter hour), ascending. */
function cutQuarters(buckets: readonly Bucket[]): number[] {
  const cut = new Set<number>();
  for (const edge of [...buckets.map((b) => b.start), buckets.at(-1)!.end]) {
    if (edge % QUARTER_MS !== 0) cut.add(Math.floor(edge / QUARTER_MS) * QUARTER_MS);
  }
  return [...cut].sort((a, b) => a - b);
}

/**
 * The exact steps a lot's cut quarters need: given (zones read them anyway), or read here, once
 * per quarter when there are two or fewer (the range bounds), else once over their span.
 */
async function stepsForCuts(
  deps: Deps,
  r: LotRollups,
  cuts: readonly number[],
  budget: RawBudget,
  stats: ReadStats,
): Promise<(qs: number) => readonly OccupancyStep[]> {
  if (cuts.length === 0) return () => [];
  if (cuts.length <= 2) {
    const byQuarter = new Map<number, OccupancyStep[]>();
    for (const qs of cuts) {
      budget.charge(observationsRead(r, qs, qs + QUARTER_MS));
      byQuarter.set(qs, await deps.rollups.stepsBetween(r.lot, qs, qs + QUARTER_MS, stats));
    }
    return (qs) => byQuarter.get(qs) ?? [];
  }
  const from = cuts[0]!;
  const to = cuts.at(-1)! + QUARTER_MS;
  budget.charge(observationsRead(r, from, to));
  const steps = await deps.rollups.stepsBetween(r.lot, from, to, stats);
  return () => steps;
}

/** Summaries of one lot over each bucket: whole quarters from rollups, cut quarters from steps. */
async function summarizeLot(
  r: LotRollups,
  buckets: readonly Bucket[],
  stepsAt: (qs: number) => readonly OccupancyStep[],
  pacer: Pacer,
): Promise<Summary[]> {
  const params = { capacity: r.lot.capacity, staleAfterMs: r.lot.staleAfterSeconds * 1000 };
  const summaries: Summary[] = [];
  for (const b of buckets) {
    if (pacer.due()) await pacer.pause();
    const s: Summary = { ...EMPTY_SUMMARY };
    for (let qs = Math.floor(b.start / QUARTER_MS) * QUARTER_MS; qs < b.end; qs += QUARTER_MS) {
      if (qs >= b.start && qs + QUARTER_MS <= b.end) {
        combinePacked(s, quarterOf(r, qs));
        continue;
      }
      const part = summarize(stepsAt(qs), params, Math.max(qs, b.start), Math.min(qs + QUARTER_MS, b.end));
      combineInto(s, part);
    }
    summaries.push(s);
  }
  return summaries;
}

/** Fresh rollups, the steps its cut quarters need, and its summaries, for each lot. */
async function lotSeries(
  deps: Deps,
  lots: readonly StoredLot[],
  buckets: readonly Bucket[],
  stats: ReadStats,
  budget: RawBudget,
  pacer: Pacer,
): Promise<Summary[][]> {
  const from = buckets[0]!.start;
  const to = buckets.at(-1)!.end;
  const cuts = cutQuarters(buckets);
  return mapLimit(lots, 8, async (lot) => {
    const r = await loadRollups(deps, lot, from, to, stats);
    return summarizeLot(r, buckets, await stepsForCuts(deps, r, cuts, budget, stats), pacer);
  });
}

// --- zone reports ---

/** At most this many separate raw reads per lot; more are read as one span (runs of odd days). */
const MAX_RAW_SPANS = 4;

/**
 * A zone's rows. Capacity-weighted figures come from the lots' rollups as for lot rows; the summed
 * peak of whole quarters from the zone's rollups on the UTC days where they match the lots
 * (shared/use-cases/zone-rollups.ts). Raw history is read, once per lot and span, only for the
 * other days (not built yet, e.g. today, or built for other lots or data) and for quarters a
 * bucket edge cuts.
 */
async function zoneRows(
  deps: Deps,
  zone: string,
  lots: readonly StoredLot[],
  buckets: readonly Bucket[],
  stats: ReadStats,
  budget: RawBudget,
  pacer: Pacer,
): Promise<UtilizationRow[]> {
  const from = buckets[0]!.start;
  const to = buckets.at(-1)!.end;
  const rollups = await mapLimit(lots, 8, (lot) => loadRollups(deps, lot, from, to, stats));
  const items = await deps.rollups.readZone(zone, utcDay(from), utcDay(to - 1), stats);
  const peaksByDay = new Map<number, readonly PackedPeak[]>();
  const rawDays: number[] = [];
  for (let day = Math.floor(from / DAY_MS); day <= Math.floor((to - 1) / DAY_MS); day++) {
    const builds = new Map(rollups.map((r) => [dataScope(r.lot), r.builds.get(day) ?? null] as const));
    const quarters = matchingQuarters(items.get(utcDay(day * DAY_MS)), builds);
    if (quarters === null) rawDays.push(day * DAY_MS);
    else peaksByDay.set(day, quarters);
  }
  // The spans read raw: those days, whole (the read starts at the day's start anyway, and a whole
  // day can be written back), and the quarters bucket edges cut.
  const wanted: [number, number][] = dayRuns(rawDays).map(([a, b]) => [a, b + DAY_MS]);
  const cuts = cutQuarters(buckets);
  if (cuts.length > 2) wanted.push([cuts[0]!, cuts.at(-1)! + QUARTER_MS]);
  else for (const qs of cuts) wanted.push([qs, qs + QUARTER_MS]);
  const spans = mergeSpans(wanted);
  const raw = await mapLimit(rollups, 8, async (r) => {
    const steps: (readonly OccupancyStep[])[] = [];
    for (const [a, b] of spans) {
      budget.charge(observationsRead(r, a, b));
      steps.push(await deps.rollups.stepsBetween(r.lot, a, b, stats));
    }
    return steps;
  });
  const spanAt = (t: number) => spans.findIndex(([a, b]) => a <= t && t < b);
  // Whole UTC days read raw are written back as zone rollups, so the next report of them need not
  // (not today's, which its lots' next readings would outdate within minutes).
  const today = Math.floor(deps.now() / DAY_MS) * DAY_MS;
  for (const [a, b] of dayRuns(rawDays.filter((d) => d < today))) {
    const span = spanAt(a);
    if (span < 0 || spans[span]![1] < b + DAY_MS) continue;
    const inputs = rollups.map((r, k) => ({
      lot: r.lot,
      rollups: new Map(
        [...r.builds].map(([d, build]) => [
          utcDay(d * DAY_MS),
          { day: utcDay(d * DAY_MS), quarters: [], build },
        ]),
      ),
      steps: raw[k]![span]!,
    }));
    await saveZoneDays(deps, zone, inputs, [a, b]);
  }
  const perLot: Summary[][] = [];
  for (const [k, r] of rollups.entries()) {
    perLot.push(await summarizeLot(r, buckets, (qs) => raw[k]![spanAt(qs)] ?? [], pacer));
  }
  const rows: UtilizationRow[] = [];
  for (const [i, b] of buckets.entries()) {
    if (pacer.due()) await pacer.pause();
    const summed: Summary = { ...EMPTY_SUMMARY };
    // Pieces without a matching zone rollup, merged while they follow each other: one sweep each.
    let pending: [number, number] | null = null;
    const flush = () => {
      if (pending === null) return;
      const span = spanAt(pending[0]);
      const members = rollups.map((r, k) => ({
        staleAfterMs: r.lot.staleAfterSeconds * 1000,
        steps: raw[k]![span] ?? [],
      }));
      combinePeak(summed, summedPeaks(members, pending[0], pending[1]));
      pending = null;
    };
    for (let qs = Math.floor(b.start / QUARTER_MS) * QUARTER_MS; qs < b.end; qs += QUARTER_MS) {
      const day = Math.floor(qs / DAY_MS);
      const peaks = peaksByDay.get(day);
      if (peaks && qs >= b.start && qs + QUARTER_MS <= b.end) {
        flush();
        combinePeak(summed, peaks[Math.floor((qs % DAY_MS) / QUARTER_MS)] ?? 0);
        continue;
      }
      const piece: [number, number] = [Math.max(qs, b.start), Math.min(qs + QUARTER_MS, b.end)];
      if (pending !== null && pending[1] === piece[0] && spanAt(pending[0]) === spanAt(piece[0])) {
        pending[1] = piece[1];
      } else {
        flush();
        pending = piece;
      }
    }
    flush();
    const members: ZoneMember[] = rollups.map((r, k) => ({
      capacity: r.lot.capacity,
      staleAfterMs: r.lot.staleAfterSeconds * 1000,
      steps: [],
      summary: perLot[k]![i]!,
    }));
    rows.push({ zone, start: b.startIso, end: b.endIso, ...zoneRow(members, b.start, b.end, summed) });
  }
  return rows;
}

/** Sorted spans with overlapping or touching ones joined, at most MAX_RAW_SPANS of them. */
function mergeSpans(spans: readonly [number, number][]): [number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  if (merged.length > MAX_RAW_SPANS) return [[merged[0]![0], merged.at(-1)![1]]];
  return merged;
}

// --- all-lots pages ---

interface PageKey {
  from: number;
  to: number;
  bucket: BucketSize;
  tz: string;
}

/** An opaque cursor: the query it belongs to and the last lot id of the page before. */
function encodeCursor(key: PageKey, after: string): string {
  return Buffer.from(JSON.stringify([1, key.from, key.to, key.bucket, key.tz, after])).toString('base64url');
}

/** The lot id a cursor continues after; a 400 for any cursor not issued for this very query. */
function decodeCursor(cursor: string, key: PageKey): string {
  const invalid = () =>
    new InvalidInputError('invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this report issued (for this range, bucket and tz)' },
    ]);
  const value = cursorJson(cursor);
  if (!Array.isArray(value) || value.length !== 6) throw invalid();
  const [version, from, to, bucket, tz, after] = value as unknown[];
  if (version !== 1 || from !== key.from || to !== key.to || bucket !== key.bucket || tz !== key.tz)
    throw invalid();
  if (typeof after !== 'string' || after.length === 0 || after.length > 64) throw invalid();
  return after;
}

export async function utilizationReport(
  deps: Deps,
  q: ReportQuery,
  limits: Readonly<ReportLimits> = REPORT_LIMITS,
): Promise<UtilizationReport> {
  const bucket = q.bucket ?? 'hour';
  const { lots: all, tz, from, to } = await resolve(deps, q, bucket);
  const pacer = new Pacer();
  const buckets = bucketsFor(from, to, bucket, tz);
  const days = utcDays(from, to);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const budget = new RawBudget(limits.rawObservations);
  const head = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket, tz };
  const allLots = q.lotId === undefined && q.zone === undefined;

  if (q.cursor !== undefined && !allLots) {
    throw new InvalidInputError('invalid cursor', [
      { path: 'cursor', message: 'only reports over all lots come in pages' },
    ]);
  }

  if (q.zone !== undefined) {
    checkReads(
      all.length,
      limits.zoneLots,
      days,
      limits,
      'a zone report',
      'report on its lots with lotId or all lots (in pages)',
    );
    return { ...head, rows: await zoneRows(deps, q.zone, all, buckets, stats, budget, pacer), stats };
  }

  let lots = all;
  let nextCursor: string | undefined;
  if (allLots) {
    const total = all.length * buckets.length;
    if (total > limits.rows) {
      throw tooMuch(
        `this report would have ${total} rows (${all.length} lots × ${buckets.length} buckets), more than ` +
          `${limits.rows}: shorten the range, use bucket=day, or choose a zone or lotId`,
      );
    }
    const key = { from, to, bucket, tz };
    const sorted = [...all].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, key);
    const rest = after === undefined ? sorted : sorted.filter((l) => l.id > after);
    // Whole lots per page, within the rows a response may carry and the lots and rollups a request
    // may read (one lot's longest report, 745 rows or 367 days, is inside every limit).
    const perPage = Math.max(
      1,
      Math.min(
        Math.floor(limits.rowsPerPage / buckets.length),
        Math.floor(limits.lotDays / days),
        limits.lots,
      ),
    );
    lots = rest.slice(0, perPage);
    if (rest.length > perPage) nextCursor = encodeCursor(key, lots.at(-1)!.id);
  }

  const perLot = await lotSeries(deps, lots, buckets, stats, budget, pacer);
  const rows: UtilizationRow[] = [];
  for (const [k, lot] of lots.entries()) {
    if (pacer.due()) await pacer.pause();
    for (const [i, b] of buckets.entries()) {
      rows.push({
        lotId: lot.id,
        start: b.startIso,
        end: b.endIso,
        ...lotRow(perLot[k]![i]!, lot.capacity, b.end - b.start),
      });
    }
  }
  return { ...head, rows, ...(nextCursor === undefined ? {} : { nextCursor }), stats };
}

export async function heatmapReport(
  deps: Deps,
  q: ReportQuery,
  limits: Readonly<ReportLimits> = REPORT_LIMITS,
) {
  const { lots, tz, from, to } = await resolve(deps, { ...q, cursor: undefined }, 'day');
  checkReads(lots.length, limits.lots, utcDays(from, to), limits, 'a heatmap', 'choose a zone or lotId');
  const pacer = new Pacer();
  const hours = bucketsFor(from, to, 'hour', tz);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const budget = new RawBudget(limits.rawObservations);
  const inputs: HourInput[] = hours.map((h) => ({
    start: h.start,
    end: h.end,
    startOffsetMs: h.startOffsetMs,
    integral: 0,
    capacityCoveredMs: 0,
    capacity: 0,
  }));
  const cuts = cutQuarters(hours);
  await mapLimit(lots, 8, async (lot) => {
    const r = await loadRollups(deps, lot, from, to, stats);
    const summaries = await summarizeLot(r, hours, await stepsForCuts(deps, r, cuts, budget, stats), pacer);
    summaries.forEach((s, i) => {
      const input = inputs[i]!;
      input.integral += s.integral;
      input.capacityCoveredMs += lot.capacity * s.coveredMs;
      input.capacity += lot.capacity;
    });
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

/**
 * Rollup maintenance (the scheduled job, and a timer in local mode): rebuilds the rollups of every
 * lot with observations not yet rolled up, so reports read rollups only. `listed`: the lots, when the
 * caller has read them already (the job hands the same list to the forecast models' refresh).
 */
export async function refreshRollups(
  deps: Deps & Pick<Dependencies, 'metrics'>,
  listed?: readonly StoredLot[],
): Promise<{ lots: number; rebuilt: number; zoneDays: number; staleLots: number; stats: ReadStats }> {
  const lots = listed ?? (await deps.lots.list());
  const marked = lots.filter((lot) => lot.rollupFrom !== null);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const rewritten = await mapLimit(marked, 4, (lot) => deps.rollups.ensureFresh(lot, stats));
  // Zone rollups of the days whose lot rollups were rewritten (their stamps changed).
  const daysByZone = new Map<string, Set<number>>();
  for (const [i, lot] of marked.entries()) {
    if (!lot.zone || rewritten[i]!.length === 0) continue;
    const days = daysByZone.get(lot.zone) ?? new Set<number>();
    for (const day of rewritten[i]!) days.add(day);
    daysByZone.set(lot.zone, days);
  }
  // Not today's: its lots' readings keep coming, so it would rarely stay valid until the next run;
  // reports read it raw (README "Utilization reports"). Nor zones no report may read (README "Limits").
  const today = Math.floor(deps.now() / DAY_MS) * DAY_MS;
  let zoneDays = 0;
  for (const [zone, days] of daysByZone) {
    const ids = lots.filter((l) => l.zone === zone).map((l) => l.id);
    if (ids.length > REPORT_LIMITS.zoneLots) continue;
    zoneDays += await buildZoneDays(
      deps,
      zone,
      ids,
      [...days].filter((d) => d < today),
      stats,
    );
  }
  // The job already reads every lot: it is also where the city learns how many went silent.
  const now = deps.now();
  const hours = await loadOpeningHours();
  const staleLots = lots.filter((lot) => lotStatus(lot, now, hours) === 'stale').length;
  deps.metrics.count('RollupsRebuilt', marked.length);
  deps.metrics.count('StaleLots', staleLots);
  return { lots: lots.length, rebuilt: marked.length, zoneDays, staleLots, stats };
}
