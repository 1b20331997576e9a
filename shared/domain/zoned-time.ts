// Wall-clock time in an IANA zone ⇄ instants, with the built-in Intl (full ICU in Node).

const formatters = new Map<string, Intl.DateTimeFormat>();

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
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (e.g. +3 600 000 for BST). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
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

/**
 * The instant a wall-clock time names in `timeZone`. An ambiguous time (the repeated hour when
 * clocks go back) is the first occurrence; a time that does not exist (skipped when clocks go
 * forward) is moved forward by the gap, as clocks would show it.
 */
export function wallClockToEpoch(w: WallClock, timeZone: string): number {
  const naive = Date.UTC(
    w.year,
    w.month - 1,
    w.day,
    w.hour ?? 0,
    w.minute ?? 0,
    w.second ?? 0,
    w.millisecond ?? 0,
  );
  const before = zoneOffsetMs(naive - 86_400_000, timeZone);
  const after = zoneOffsetMs(naive + 86_400_000, timeZone);
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

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
