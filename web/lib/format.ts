// How the pages write numbers, distances, ages and times. One locale for now: the page language will
// become a parameter here, not a change in every caller.

export const LOCALE = 'en-GB';

/** How long ago, from an age in seconds; `never` for a lot that never reported. */
export function fmtAge(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function fmtDistance(metres: number): string {
  if (Math.round(metres) < 1000) return `${Math.round(metres)} m`;
  return `${Number((metres / 1000).toFixed(metres < 10_000 ? 1 : 0))} km`;
}

/** A share (0–1) as a percentage; a dash where there is no figure. */
export function fmtPct(share: number | null, digits = 0): string {
  return share === null ? '–' : `${(share * 100).toFixed(digits)}%`;
}

export function fmtInt(n: number | null): string {
  return n === null ? '–' : Math.round(n).toLocaleString(LOCALE);
}

/** The local wall-clock time of an instant, to the second. */
export function fmtClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(LOCALE, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A calendar date (YYYY-MM-DD) as "Tue 4 Oct", or "Tue 4 Oct 2016" with the year. */
export function fmtDay(date: string, withYear = false): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(LOCALE, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
  });
}

/** An instant as the wall-clock time in a time zone: "Tue 4 Oct, 08:30". */
export function fmtZonedTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString(LOCALE, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function fmtDateTime(iso: string): string {
  return new Date(iso).toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
}
