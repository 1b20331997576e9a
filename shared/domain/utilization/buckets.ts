// Report buckets: the whole local hours or days of an IANA zone that meet [from, to), the first and
// last clipped to it (CONTRACT §6 "Report ranges"). A DST day has 23 or 25 hours; zones with
// 30- or 45-minute offsets work because every bound is found from the zone's own wall clock.
import { wallClockToEpoch, zoneOffsetMs } from '../zoned-time';

export type BucketSize = 'hour' | 'day';

export interface Bucket {
  start: number;
  end: number;
  /** ISO-8601 with the local offset, e.g. 2026-03-29T03:00:00+01:00. */
  startIso: string;
  endIso: string;
}

const QUARTER = 15 * 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const MAX_HOURLY_RANGE_HOURS = 745;
export const MAX_DAILY_RANGE_DAYS = 366;

/** The local calendar fields of an instant in a zone. */
export function localFields(ms: number, timeZone: string) {
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    /** Monday = 1 … Sunday = 7 */
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
  };
}

export function formatLocalIso(ms: number, timeZone: string): string {
  const offset = zoneOffsetMs(ms, timeZone);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** Local midnight starting the local day that contains `ms`. */
function dayStart(ms: number, timeZone: string): number {
  const f = localFields(ms, timeZone);
  return wallClockToEpoch({ year: f.year, month: f.month, day: f.day }, timeZone);
}

function nextDayStart(start: number, timeZone: string): number {
  // Noon tomorrow is safely inside the next local day, whatever DST does at midnight.
  const f = localFields(start + 36 * HOUR, timeZone);
  return wallClockToEpoch({ year: f.year, month: f.month, day: f.day }, timeZone);
}

/** Local hour boundaries fall on UTC quarter hours in every real zone: step through those. */
function hourStart(ms: number, timeZone: string): number {
  let t = Math.floor(ms / QUARTER) * QUARTER;
  while (localFields(t, timeZone).minute !== 0) t -= QUARTER;
  return t;
}

function nextHourStart(start: number, timeZone: string): number {
  let t = start + QUARTER;
  while (localFields(t, timeZone).minute !== 0) t += QUARTER;
  return t;
}

export function bucketsFor(from: number, to: number, size: BucketSize, timeZone: string): Bucket[] {
  const buckets: Bucket[] = [];
  let start = size === 'day' ? dayStart(from, timeZone) : hourStart(from, timeZone);
  while (start < to) {
    const next = size === 'day' ? nextDayStart(start, timeZone) : nextHourStart(start, timeZone);
    const s = Math.max(start, from);
    const e = Math.min(next, to);
    buckets.push({
      start: s,
      end: e,
      startIso: formatLocalIso(s, timeZone),
      endIso: formatLocalIso(e, timeZone),
    });
    start = next;
  }
  return buckets;
}

/** A report bound: an ISO instant (Z or offset) or a local date (midnight in `timeZone`). */
export function parseReportInstant(text: string, timeZone: string): number | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
    return wallClockToEpoch({ year: y, month: m, day: d }, timeZone);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Why a range cannot be reported, or null when it can. */
export function rangeProblem(
  from: number,
  to: number,
  size: BucketSize,
): { path: string; message: string } | null {
  if (!(from < to)) return { path: 'to', message: 'must be after from' };
  if (size === 'hour' && to - from > MAX_HOURLY_RANGE_HOURS * HOUR) {
    return { path: 'to', message: `hourly reports cover at most ${MAX_HOURLY_RANGE_HOURS} hours` };
  }
  if (size === 'day' && to - from > MAX_DAILY_RANGE_DAYS * DAY + 2 * HOUR) {
    // slack for DST days
    return { path: 'to', message: `daily reports cover at most ${MAX_DAILY_RANGE_DAYS} days` };
  }
  return null;
}
