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
import { CURSOR_PART, cursorJson } from './page-cursor';
import type { CatalogPosition, Dependencies, ReadStats } from './ports';
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

/** How many lots a zone report or heatmap may read, and what to tell a caller who asks for more. */
interface LotCap {
  lots: number;
  what: string;
  narrower: string;
}

async function resolve(deps: Deps, q: ReportQuery, bucket: BucketSize, cap?: LotCap) {
  if (q.lotId !== undefined && q.zone !== undefined) {
    throw new InvalidInputError('choose one', [{ path: 'zone', message: 'give lotId or zone, not both' }]);
  }
  let lots: StoredLot[];
  if (q.lotId !== undefined) {
    const lot = await deps.lots.get(q.lotId, true); // consistent: a fresh rollup mark must be seen
    if (lot === null) throw new NotFoundError(`lot ${q.lotId} does not exist`);
    lots = [lot];
  } else {
    // One lot more than the cap is enough to refuse: the listing never reads a whole large city.
    lots = await deps.lots.list(q.zone, cap === undefined ? undefined : cap.lots + 1);
    if (q.zone !== undefined && lots.length === 0) throw new NotFoundError(`zone ${q.zone} has no lots`);
  }
  if (cap !== undefined && lots.length > cap.lots) {
    throw tooMuch(
      `${cap.what} reads each of its lots: at least ${lots.length} lots is more than ${cap.lots}; ${cap.narrower}`,
    );
  }
  const tz = q.tz ?? onlyZone(lots);
  return { lots, tz, ...reportRange(q, bucket, tz) };
}

/** The one time zone of `lots` ('UTC' for none); a 400 naming `tz` when they are in several. */
function onlyZone(lots: readonly StoredLot[], walkZone?: string): string {
  // Lots stored before zone names were made canonical may spell one zone several ways.
  const zones = new Set(lots.map((l) => canonicalTimeZone(l.timeZone) ?? l.timeZone));
  if (walkZone !== undefined) zones.add(walkZone);
  if (zones.size <= 1) return [...zones][0] ?? 'UTC';
  throw new InvalidInputError('several time zones', [
    {
      path: 'tz',
      message:
        walkZone === undefined
          ? `these lots are in ${[...zones].join(', ')}: say which zone the buckets follow`
          : `the walk began in ${walkZone} and these lots are in ${[...zones].filter((z) => z !== walkZone).join(', ')}: ` +
            'say which zone the buckets follow (tz) and start again',
    },
  ]);
}

/** `from`, `to` read in `tz`, checked against the time domain and the bucket's longest range. */
function reportRange(q: ReportQuery, bucket: BucketSize, tz: string) {
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
  return { from, to };
}

/** Whole lots per page: within the rows a response may carry and the lots and rollups a request may read. */
function lotsPerPage(buckets: number, days: number, limits: Readonly<ReportLimits>): number {
  // One lot's longest report, 745 rows or 367 days, is inside every limit.
  return Math.max(
    1,
    Math.min(Math.floor(limits.rowsPerPage / buckets), Math.floor(limits.lotDays / days), limits.lots),
  );
}

/**
 * One page of the all-lots report's lots, read from the catalog (one Query page and one BatchGet
 * of at most `limits.lots` lots, README "Limits"), never the whole catalog. Without `tz` the page's
 * time zone decides (the first page's, carried in the cursor); a later page holding a lot in
 * another zone is a 400 naming `tz`.
 */
async function allLotsPage(deps: Deps, q: ReportQuery, bucket: BucketSize, limits: Readonly<ReportLimits>) {
  const walk = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (
    walk !== undefined &&
    (walk.tzGiven !== (q.tz !== undefined) || (q.tz !== undefined && walk.tz !== q.tz))
  ) {
    throw invalidCursor();
  }
  // The page size must be known before the lots are. With `tz` or a cursor the zone is known; on a
  // first page without `tz` the range is read in UTC, with room for what the lots' zone can add (a
  // DST hour, an offset off the hour, one UTC day more).
  let size = 1;
  try {
    const knownTz = q.tz ?? walk?.tz;
    const slack = knownTz === undefined ? 1 : 0;
    const guessTz = knownTz ?? 'UTC';
    const guess = reportRange(q, bucket, guessTz);
    const buckets = bucketsFor(guess.from, guess.to, bucket, guessTz).length;
    size = lotsPerPage(buckets + 2 * slack, utcDays(guess.from, guess.to) + slack, limits);
  } catch {
    // The range is refused below, in the zone that applies; one lot read is all that costs.
  }
  const page = await deps.lots.listPage(size, walk?.after);
  const tz = q.tz ?? onlyZone(page.lots, walk?.tz);
  const { from, to } = reportRange(q, bucket, tz);
  if (walk !== undefined && (walk.from !== from || walk.to !== to || walk.bucket !== bucket))
    throw invalidCursor();
  const buckets = bucketsFor(from, to, bucket, tz);
  if (page.lots.length > lotsPerPage(buckets.length, utcDays(from, to), limits)) {
    throw new Error('all-lots report: the page estimate exceeded the page limits'); // the slack above rules it out
  }
  const nextCursor =
    page.next === undefined
      ? undefined
      : encodeCursor({ from, to, bucket, tz, tzGiven: q.tz !== undefined }, page.next);
  return { lots: page.lots, tz, from, to, nextCursor };
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

const ZONE_REPORT = {
  what: 'a zone report',
  narrower: 'report on its lots with lotId or all lots (in pages)',
};

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
  /** Whether the query named `tz` (else the first page's lots decided it). */
  tzGiven: boolean;
}

/** An opaque cursor: the query it belongs to and the catalog position the page before ended at. */
function encodeCursor(key: PageKey, after: CatalogPosition): string {
  const query = [key.from, key.to, key.bucket, key.tz, key.tzGiven ? 1 : 0];
  return Buffer.from(JSON.stringify([2, ...query, after.zone, after.id])).toString('base64url');
}

const invalidCursor = () =>
  new InvalidInputError('invalid cursor', [
    { path: 'cursor', message: 'is not a cursor this report issued (for this range, bucket and tz)' },
  ]);

/** The query a cursor was issued for and where it continues; a 400 for anything else. */
function decodeCursor(cursor: string): PageKey & { after: CatalogPosition } {
  const value = cursorJson(cursor);
  if (!Array.isArray(value) || value.length !== 8) throw invalidCursor();
  const [version, from, to, bucket, tz, tzGiven, zone, id] = value as unknown[];
  const part = (p: unknown): p is string => typeof p === 'string' && CURSOR_PART.test(p);
  if (version !== 2 || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw invalidCursor();
  if ((bucket !== 'hour' && bucket !== 'day') || typeof tz !== 'string' || canonicalTimeZone(tz) === null)
    throw invalidCursor();
  if ((tzGiven !== 0 && tzGiven !== 1) || !part(zone) || !part(id) || id === '') throw invalidCursor();
  return { from: from as number, to: to as number, bucket, tz, tzGiven: tzGiven === 1, after: { zone, id } };
}

export async function utilizationReport(
  deps: Deps,
  q: ReportQuery,
  limits: Readonly<ReportLimits> = REPORT_LIMITS,
): Promise<UtilizationReport> {
  const bucket = q.bucket ?? 'hour';
  const allLots = q.lotId === undefined && q.zone === undefined;
  if (q.cursor !== undefined && !allLots) {
    throw new InvalidInputError('invalid cursor', [
      { path: 'cursor', message: 'only reports over all lots come in pages' },
    ]);
  }
  const { lots, tz, from, to, nextCursor } = allLots
    ? await allLotsPage(deps, q, bucket, limits)
    : {
        ...(await resolve(
          deps,
          q,
          bucket,
          q.zone === undefined ? undefined : { lots: limits.zoneLots, ...ZONE_REPORT },
        )),
        nextCursor: undefined,
      };
  const pacer = new Pacer();
  const buckets = bucketsFor(from, to, bucket, tz);
  const days = utcDays(from, to);
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const budget = new RawBudget(limits.rawObservations);
  const head = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket, tz };

  if (q.zone !== undefined) {
    checkReads(lots.length, limits.zoneLots, days, limits, ZONE_REPORT.what, ZONE_REPORT.narrower);
    return { ...head, rows: await zoneRows(deps, q.zone, lots, buckets, stats, budget, pacer), stats };
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
  const cap = { lots: limits.lots, what: 'a heatmap', narrower: 'choose a zone or lotId' };
  const { lots, tz, from, to } = await resolve(deps, { ...q, cursor: undefined }, 'day', cap);
  checkReads(lots.length, limits.lots, utcDays(from, to), limits, cap.what, cap.narrower);
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
