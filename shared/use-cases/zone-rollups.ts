// Zone rollups (README "Utilization reports"): per zone and UTC day, the quarter-hour summed peaks
// of its lots, which a zone report cannot derive from per-lot rollups. Written by the rollup job
// for the days whose lot rollups it rewrote; a report uses a day's item only while it matches
// the zone's lots exactly (the same data scopes, each with the stamp of the lot rollup it read that
// day), and reads raw history for any other day. So membership changes (a lot added, removed,
// moved, deleted and re-created), late data and today's not-yet-built day never give a stale figure.
import { dataScope } from '../domain/lot-incarnation';
import type { OccupancyStep } from '../domain/observation';
import { Pacer } from '../domain/pacer';
import type { StoredLot } from '../domain/stored-lot';
import { type PackedPeak, zoneDayQuarters } from '../domain/utilization/zone-quarters';
import { mapLimit } from '../lib/concurrency';
import { HistoryBudgetError } from './errors';
import type { DayRollup, Dependencies, ReadStats, ZoneDayRollup } from './ports';

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Raw observations one zone build may read: the job's cost stays bounded whatever a late
 * observation asks for. A zone past it keeps its old items, which no longer match its lots'
 * stamps, so its reports read raw history for those days (within the report's own bounds).
 */
export const ZONE_BUILD_MAX_OBSERVATIONS = 200_000;

type Deps = Pick<Dependencies, 'lots' | 'rollups'>;

/** Runs of consecutive UTC days (day-start instants), ascending: [first, last] pairs. */
export function dayRuns(days: Iterable<number>): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const day of sorted) {
    const last = runs.at(-1);
    if (last && last[1] + DAY_MS === day) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

/** No rollup rebuild of these days pending or running for this lot: no mark before `end`. */
const settledUntil = (lot: StoredLot | null | undefined, generation: string, end: number) =>
  lot != null && lot.generation === generation && (lot.rollupFrom === null || lot.rollupFrom >= end);

/** The same stamps on each day first..last (day-start instants): no rebuild wrote them meanwhile. */
function sameBuilds(
  a: ReadonlyMap<string, DayRollup>,
  b: ReadonlyMap<string, DayRollup>,
  first: number,
  last: number,
): boolean {
  for (let day = first; day <= last; day += DAY_MS) {
    if (a.get(utcDay(day))?.build !== b.get(utcDay(day))?.build) return false;
  }
  return true;
}

/**
 * Builds the zone's rollups of `days` from its lots' exact steps, and returns how many it wrote.
 * A run of days is written only if every lot had no rollup mark before the run's end, before and
 * after the read, and its rollups of those days kept their stamps meanwhile: otherwise the stamps
 * recorded could belong to other data. What is left out is read raw by reports until a later build.
 */
export async function buildZoneDays(
  deps: Deps,
  zone: string,
  lotIds: readonly string[],
  days: Iterable<number>,
  stats: ReadStats,
  maxObservations = ZONE_BUILD_MAX_OBSERVATIONS,
): Promise<number> {
  const runs = dayRuns(days);
  if (runs.length === 0 || lotIds.length === 0) return 0;
  const members = (await deps.lots.getMany(lotIds)).filter((l) => l.zone === zone);
  if (members.length === 0) return 0;
  let left = maxObservations;
  let written = 0;
  for (const [first, last] of runs) {
    const end = last + DAY_MS;
    if (!members.every((l) => settledUntil(l, l.generation, end))) continue;
    let perLot: ZoneBuildInput[];
    try {
      perLot = await mapLimit(members, 8, async (lot) => {
        const rollups = await deps.rollups.read(lot, utcDay(first), utcDay(last), stats);
        // Up to 8 lots read at once, each within what was left when it started.
        const own: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
        const steps = await deps.rollups.stepsBetween(lot, first, end, own, left);
        left -= own.rawObservationsRead;
        stats.itemsRead += own.itemsRead;
        stats.rawObservationsRead += own.rawObservationsRead;
        return { lot, rollups, steps };
      });
    } catch (error) {
      if (error instanceof HistoryBudgetError) return written;
      throw error;
    }
    if (left < 0) return written;
    if (await saveZoneDays(deps, zone, perLot, [first, last])) written += last / DAY_MS - first / DAY_MS + 1;
  }
  return written;
}

/** A lot as a zone build read it: its rollups of the days built (their stamps) and its exact steps. */
export interface ZoneBuildInput {
  lot: StoredLot;
  rollups: ReadonlyMap<string, DayRollup>;
  /** From the start of the first day built (or earlier) to the end of the last, with the carried-in step. */
  steps: readonly OccupancyStep[];
}

/**
 * Computes and writes the zone's rollups of the days first..last (day-start instants) if what was
 * read still holds: every lot of the same incarnation, with no rollup mark before the last day's
 * end, and its rollups of those days with the stamps read. False when it wrote nothing.
 */
export async function saveZoneDays(
  deps: Deps,
  zone: string,
  perLot: readonly ZoneBuildInput[],
  [first, last]: [number, number],
): Promise<boolean> {
  const end = last + DAY_MS;
  const built: ZoneDayRollup[] = [];
  const pacer = new Pacer(); // a day of 200 lots is 96 sweeps over all their steps: yield between days
  for (let day = first; day <= last; day += DAY_MS) {
    if (pacer.due()) await pacer.pause();
    const stamps = perLot
      .map(({ lot, rollups }): [string, string | null] => [
        dataScope(lot),
        rollups.get(utcDay(day))?.build ?? null,
      ])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const quarters: PackedPeak[] = zoneDayQuarters(
      perLot.map(({ lot, steps }) => ({ staleAfterMs: lot.staleAfterSeconds * 1000, steps })),
      day,
    );
    built.push({ day: utcDay(day), members: stamps, quarters });
  }
  const after = new Map((await deps.lots.getMany(perLot.map(({ lot }) => lot.id))).map((l) => [l.id, l]));
  if (!perLot.every(({ lot }) => settledUntil(after.get(lot.id), lot.generation, end))) return false;
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  const still = await mapLimit(perLot, 8, ({ lot }) =>
    deps.rollups.read(lot, utcDay(first), utcDay(last), stats),
  );
  if (!perLot.every(({ rollups }, i) => sameBuilds(rollups, still[i]!, first, last))) return false;
  await deps.rollups.writeZone(zone, built);
  return true;
}

/**
 * The summed peaks of one UTC day from the zone's item, if it matches the lots exactly: the same
 * data scopes, each with the stamp of its rollup of that day (`builds`, scope → stamp, absent when
 * the lot has none). No item is as good as an empty one when no lot has a rollup that day.
 */
export function matchingQuarters(
  item: ZoneDayRollup | undefined,
  builds: ReadonlyMap<string, string | null>,
): readonly PackedPeak[] | null {
  if (item === undefined) return [...builds.values()].every((b) => b === null) ? [] : null;
  if (item.members.length !== builds.size) return null;
  for (const [scope, build] of item.members) {
    if (!builds.has(scope) || builds.get(scope) !== build) return null;
  }
  return item.quarters;
}
