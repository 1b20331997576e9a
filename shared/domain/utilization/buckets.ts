// Report buckets: the whole local hours or days of an IANA zone that meet [from, to), the first and
// last clipped to it (README "Utilization reports"). A DST day has 23 or 25 hours.
//
// Every bucket boundary comes from the zone's own wall clock, with no assumption about offsets
// (a multiple of 15 minutes, of a minute, or constant over a day). Between two offset changes the
// local clock runs with UTC, so the next local hour or day starts where the wall clock reaches the
// next multiple of an hour or a day *at the current offset*; if the offset changes before that, the
// change is found by bisection and it is a boundary when the local hour (or day) there is another
// one. So each boundary costs a few offset look-ups, whatever the zone did that year.
//
// What a bucket is: the instants whose local clock shows the same hour (or date), the clock never
// going back inside it. A local hour that repeats when clocks go back is therefore two buckets
// (the London fall-back day has 25 hourly buckets, 01:00+01:00 and 01:00+00:00), while a day stays
// one bucket of 25 hours unless the clock goes back across midnight.
import { TIME_DOMAIN } from '../time-domain';
import {
  formatLocalIso,
  isCalendarDate,
  parseIsoInstant,
  utcFromFields,
  wallClockToEpoch,
  zoneOffsetMs,
} from '../zoned-time';

export type BucketSize = 'hour' | 'day';

export interface Bucket {
  start: number;
  end: number;
  /** The zone's offset at `start` (ms), so callers need not look it up again. */
  startOffsetMs: number;
  /** ISO-8601 with the local offset, e.g. 2026-03-29T03:00:00+01:00. */
  startIso: string;
  endIso: string;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
export const MAX_HOURLY_RANGE_HOURS = 745;
export const MAX_DAILY_RANGE_DAYS = 366;

/**
 * Offset look-ups are counted here when a caller passes one (the property tests bound them per
 * boundary).
 */
export interface OffsetProbe {
  lookups: number;
}

/**
 * No zone changes its offset twice within this span (tzdata, 1970–2200; the property tests over
 * every zone check it): a window is probed at this spacing, then bisected at the first change.
 */
const PROBE_SPACING = 6 * HOUR;
/** Offset changes handled before one boundary is found; a boundary needs at most 2 in any zone. */
const MAX_CHANGES_PER_BOUNDARY = 8;

function offsetAt(ms: number, timeZone: string, probe?: OffsetProbe): number {
  if (probe) probe.lookups++;
  return zoneOffsetMs(ms, timeZone);
}

/** The first instant in (a, b] whose offset is not `offset`, or null (offset(a) is `offset`). */
function firstOffsetChange(a: number, b: number, offset: number, timeZone: string, probe?: OffsetProbe) {
  let lo = a;
  for (;;) {
    let hi = Math.min(lo + PROBE_SPACING, b);
    if (offsetAt(hi, timeZone, probe) !== offset) {
      // Bisection on milliseconds: offset(lo) is `offset`, offset(hi) is not.
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (offsetAt(mid, timeZone, probe) === offset) lo = mid;
        else hi = mid;
      }
      return hi;
    }
    if (hi >= b) return null;
    lo = hi;
  }
}

export interface Boundary {
  at: number;
  /** The zone's offset at `at`. */
  offsetMs: number;
}

/** The first bucket boundary strictly after `t` (t itself need not be one). */
export function nextBoundary(t: number, size: BucketSize, timeZone: string, probe?: OffsetProbe): Boundary {
  const unit = size === 'hour' ? HOUR : DAY;
  let at = t;
  let offset = offsetAt(at, timeZone, probe);
  for (let changes = 0; changes <= MAX_CHANGES_PER_BOUNDARY; changes++) {
    // Where the wall clock reaches the next whole hour or day if the offset stays as it is.
    const candidate = (Math.floor((at + offset) / unit) + 1) * unit - offset;
    const change = firstOffsetChange(at, candidate, offset, timeZone, probe);
    if (change === null) return { at: candidate, offsetMs: offset };
    const next = offsetAt(change, timeZone, probe);
    const labelBefore = Math.floor((change - 1 + offset) / unit);
    const labelAfter = Math.floor((change + next) / unit);
    // A new hour or date on the clock; or, for hours, the clock going back (a repeated stretch).
    if (labelAfter !== labelBefore || (size === 'hour' && next < offset))
      return { at: change, offsetMs: next };
    at = change;
    offset = next;
  }
  throw new RangeError(`no ${size} boundary found after ${new Date(t).toISOString()} in ${timeZone}`);
}

/**
 * The start of the bucket holding `t`. Hourly buckets last at most an hour (the clock never goes
 * back inside one) and daily ones well under two days, so the search starts that far back.
 */
export function bucketStart(t: number, size: BucketSize, timeZone: string, probe?: OffsetProbe): Boundary {
  const lookBack = size === 'hour' ? 2 * HOUR : 2 * DAY;
  let b = nextBoundary(t - lookBack, size, timeZone, probe);
  for (
    let n = nextBoundary(b.at, size, timeZone, probe);
    n.at <= t;
    n = nextBoundary(b.at, size, timeZone, probe)
  )
    b = n;
  if (b.at > t)
    throw new RangeError(`no ${size} boundary before ${new Date(t).toISOString()} in ${timeZone}`);
  return b;
}

export function bucketsFor(
  from: number,
  to: number,
  size: BucketSize,
  timeZone: string,
  probe?: OffsetProbe,
): Bucket[] {
  const buckets: Bucket[] = [];
  if (!(from < to)) return buckets;
  let start = bucketStart(from, size, timeZone, probe);
  // The range start is inside the first bucket: its offset may differ from the bucket's.
  let startOffset = start.at === from ? start.offsetMs : offsetAt(from, timeZone, probe);
  let s = from;
  while (s < to) {
    const next = nextBoundary(start.at, size, timeZone, probe);
    const e = Math.min(next.at, to);
    const endOffset = e === next.at ? next.offsetMs : offsetAt(e, timeZone, probe);
    buckets.push({
      start: s,
      end: e,
      startOffsetMs: startOffset,
      startIso: formatLocalIso(s, timeZone, startOffset),
      endIso: formatLocalIso(e, timeZone, endOffset),
    });
    start = next;
    s = next.at;
    startOffset = next.offsetMs;
  }
  return buckets;
}

/** Local hour (0–23) and weekday (Monday = 1 … Sunday = 7) of an instant, given its offset. */
export function localHourAndWeekday(ms: number, offsetMs: number) {
  const local = new Date(ms + offsetMs);
  return { hour: local.getUTCHours(), weekday: ((local.getUTCDay() + 6) % 7) + 1 };
}

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

/**
 * The first instant of a local date: the start of the daily bucket that holds its midnight (or,
 * where midnight was skipped, the instant the clocks jumped past it).
 */
export function localDateStart(year: number, month: number, day: number, timeZone: string): number {
  const midnight = wallClockToEpoch({ year, month, day }, timeZone);
  return bucketStart(midnight, 'day', timeZone).at;
}

/** Far enough outside the time domain that a bound there is plainly out of it, whatever the zone. */
const ZONE_MATH_MARGIN = 3 * DAY;

/**
 * A report bound: an ISO instant (Z, ±hh:mm or ±hh:mm:ss) or a local date (midnight in
 * `timeZone`); null when it is neither. The result may lie outside the time domain: the caller
 * says so. Zone rules are only consulted near the domain, so year 0 or 9999 costs nothing.
 */
export function parseReportInstant(text: string, timeZone: string): number | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isCalendarDate(y, m, d)) return null;
    const naive = utcFromFields(y, m, d);
    if (naive < TIME_DOMAIN.start - ZONE_MATH_MARGIN || naive > TIME_DOMAIN.end + ZONE_MATH_MARGIN)
      return naive;
    return localDateStart(y, m, d, timeZone);
  }
  return parseIsoInstant(text);
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
