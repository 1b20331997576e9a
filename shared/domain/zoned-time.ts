// Wall-clock time in an IANA zone ⇄ instants, with the built-in Intl (full ICU in Node).
//
// Nothing here assumes what an offset looks like: offsets are whatever the zone's rules say at
// that instant, in whole seconds (Europe/London was −0:01:15 before 1847, Africa/Monrovia
// −0:44:30 until 1972, Pacific/Kiritimati −10:40 until 1979). And nothing uses Date.UTC, which
// reads the years 0–99 as 1900–1999.

const formatters = new Map<string, Intl.DateTimeFormat>();
/** More distinct spellings than any runtime has zones means the cache is being abused: start over. */
const MAX_FORMATTERS = 2048;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Epoch ms of a proleptic-Gregorian UTC wall clock. Unlike Date.UTC, year 50 is year 50. */
export function utcFromFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millisecond);
  return d.getTime();
}

// 'MM/DD/YYYY, HH:MM:SS' as en-US writes it with the options above (format() is ~3× faster than
// formatToParts(), and report buckets call this a few times per bucket).
const WALL_CLOCK_TEXT = /^(\d{2})\/(\d{2})\/(\d+), (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Offset of `timeZone` from UTC at instant `ms`, in milliseconds (e.g. +3 600 000 for BST,
 * −2 670 000 for Monrovia's −0:44:30). Meant for instants from shortly before 1970 on.
 */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const text = formatter(timeZone).format(ms);
  const m = WALL_CLOCK_TEXT.exec(text);
  if (!m) throw new RangeError(`unexpected wall-clock text '${text}' in ${timeZone}`);
  const local = utcFromFields(
    Number(m[3]),
    Number(m[1]),
    Number(m[2]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
  return local - Math.floor(ms / 1000) * 1000;
}

export interface WallClock {
  year: number;
  month: number; // 1–12
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time names in `timeZone`. An ambiguous time (the repeated hour when
 * clocks go back) is the first occurrence; a time that does not exist (skipped when clocks go
 * forward) is moved forward by the gap, as clocks would show it.
 */
export function wallClockToEpoch(w: WallClock, timeZone: string): number {
  const naive = utcFromFields(
    w.year,
    w.month,
    w.day,
    w.hour ?? 0,
    w.minute ?? 0,
    w.second ?? 0,
    w.millisecond ?? 0,
  );
  const before = zoneOffsetMs(naive - DAY_MS, timeZone);
  const after = zoneOffsetMs(naive + DAY_MS, timeZone);
  // Try the offsets in force a day either side; the earlier instant wins when both fit.
  const candidates = [naive - Math.max(before, after), naive - Math.min(before, after)];
  for (const t of candidates) if (zoneOffsetMs(t, timeZone) === naive - t) return t;
  return naive - before; // in the gap: the old offset, i.e. shifted forward
}

/** Parses 'YYYY-MM-DD HH:MM:SS[.fff]' (or with 'T') as wall-clock time in `timeZone`. */
export function parseNaiveLocal(text: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`'${text}' is not a local time like 2016-10-04 07:59:42`);
  return wallClockToEpoch(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
      millisecond: Number((m[7] ?? '0').padEnd(3, '0')),
    },
    timeZone,
  );
}

/** Whether year-month-day names a real calendar day. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(utcFromFields(year, month, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2})(?::(\d{2}))?)$/;

/**
 * An ISO-8601 instant with `Z` or an offset of `±hh:mm` or `±hh:mm:ss` (as report bounds are
 * written for zones whose offset has seconds), or null. Date.parse knows no offset seconds.
 */
export function parseIsoInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? 0);
  if (!isCalendarDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second > 59) return null;
  let offset = 0;
  if (m[8] === undefined) {
    const [oh, om, os] = [Number(m[10]), Number(m[11]), Number(m[12] ?? 0)];
    if (oh > 23 || om > 59 || os > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * ((oh * 60 + om) * 60 + os) * 1000;
  }
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  return utcFromFields(year!, month!, day!, hour!, minute!, second, ms) - offset;
}

/** `±hh:mm`, or `±hh:mm:ss` when the offset has seconds (ISO-8601 extended format). */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const hh = two(Math.floor(total / 3600));
  const mm = two(Math.floor((total % 3600) / 60));
  const ss = total % 60;
  return `${sign}${hh}:${mm}${ss === 0 ? '' : `:${two(ss)}`}`;
}

/**
 * ISO-8601 with the local offset, e.g. 2026-03-29T03:00:00+01:00; milliseconds only when there
 * are any, so parsing the text gives the instant back exactly.
 */
export function formatLocalIso(ms: number, timeZone: string, offsetMs = zoneOffsetMs(ms, timeZone)): string {
  const local = new Date(ms + offsetMs).toISOString();
  const wall = ((ms % 1000) + 1000) % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
  return `${wall}${formatOffset(offsetMs)}`;
}

const canonicalZones = new Map<string, string>();

/**
 * The runtime's canonical spelling of an IANA time zone (`europe/london` → `Europe/London`), or
 * null when it knows no such zone. Zone names are case-insensitive; storing one spelling keeps a
 * zone's lots together in reports. Only valid names are cached, so the cache stays small.
 */
export function canonicalTimeZone(tz: string): string | null {
  if (tz.length === 0 || tz.length > 64) return null;
  const key = tz.toLowerCase();
  const known = canonicalZones.get(key);
  if (known !== undefined) return known;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    canonicalZones.set(key, canonical);
    return canonical;
  } catch {
    return null;
  }
}

/** Whether `tz` is an IANA time zone this runtime knows (in any letter case). */
export function isTimeZone(tz: string): boolean {
  return canonicalTimeZone(tz) !== null;
}
