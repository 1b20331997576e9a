// How the pages write numbers, distances, ages and times: Intl for the page's locale (web/lib/i18n.ts),
// so that a Chinese page writes 2.5公里, 5分钟前 and 10月4日周日 where an English one writes 2.5 km,
// 5 min ago and Sun 4 Oct. Formatters are made once per locale and kind.
import { pageLocale, t } from './i18n';

const made = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.ListFormat>();

function once<T extends Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.ListFormat>(
  kind: string,
  make: (locale: string) => T,
): T {
  const locale = pageLocale();
  const key = `${locale}|${kind}`;
  let format = made.get(key);
  if (!format) {
    format = make(locale);
    made.set(key, format);
  }
  return format as T;
}

const relative = () => once('relative', (l) => new Intl.RelativeTimeFormat(l, { style: 'short' }));

/** How long ago, from an age in seconds; `never` for a lot that never reported. */
export function fmtAge(seconds: number | null): string {
  if (seconds === null) return t('fmt.never');
  const s = Math.max(0, seconds);
  // Negative: every age is in the past (-0 too reads "0 sec ago").
  const ago = (n: number, unit: Intl.RelativeTimeFormatUnit) => relative().format(-n, unit);
  if (s < 90) return ago(Math.round(s), 'second');
  if (s < 5400) return ago(Math.round(s / 60), 'minute');
  if (s < 172_800) return ago(Math.round(s / 3600), 'hour');
  return ago(Math.round(s / 86_400), 'day');
}

export function fmtDistance(metres: number): string {
  const unit = (name: 'meter' | 'kilometer', digits: number) =>
    once(
      `${name}${digits}`,
      (l) =>
        new Intl.NumberFormat(l, {
          style: 'unit',
          unit: name,
          unitDisplay: 'short',
          maximumFractionDigits: digits,
        }),
    );
  if (Math.round(metres) < 1000) return unit('meter', 0).format(Math.round(metres));
  const digits = metres < 10_000 ? 1 : 0;
  return unit('kilometer', digits).format(Number((metres / 1000).toFixed(digits)));
}

/** A share (0–1) as a percentage; a dash where there is no figure. */
export function fmtPct(share: number | null, digits = 0): string {
  if (share === null) return t('fmt.missing');
  return once(
    `pct${digits}`,
    (l) =>
      new Intl.NumberFormat(l, {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  ).format(share);
}

export function fmtInt(n: number | null): string {
  if (n === null) return t('fmt.missing');
  return once('int', (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })).format(Math.round(n));
}

/** A number with a fixed count of decimals; a dash where there is no figure. */
export function fmtDecimal(n: number | null, digits: number): string {
  if (n === null) return t('fmt.missing');
  return once(
    `dec${digits}`,
    (l) => new Intl.NumberFormat(l, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
  ).format(n);
}

/** Items as a list in the page's language: "EV charging, Covered and Accessible", "电动车充电、有遮盖和无障碍". */
export function fmtList(items: readonly string[]): string {
  return once('list', (l) => new Intl.ListFormat(l, { type: 'conjunction' })).format(items);
}

/** The local wall-clock time of an instant, to the second. */
export function fmtClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(pageLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A calendar date (YYYY-MM-DD) as "Tue 4 Oct", or "Tue 4 Oct 2016" with the year. */
export function fmtDay(date: string, withYear = false): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(pageLocale(), {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
  });
}

/** A weekday's name (1 = Monday, as the API numbers them), short or long. */
export function fmtWeekday(isoWeekday: number, width: 'short' | 'long'): string {
  // 2024-01-01 was a Monday.
  return new Date(Date.UTC(2024, 0, isoWeekday, 12)).toLocaleDateString(pageLocale(), {
    timeZone: 'UTC',
    weekday: width,
  });
}

/** An instant as the wall-clock time in a time zone: "Tue 4 Oct, 08:30". */
export function fmtZonedTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString(pageLocale(), {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function fmtDateTime(iso: string): string {
  return new Date(iso).toLocaleString(pageLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** The local wall-clock time of an instant to the minute ("14:30"), in a zone if given. */
export function fmtTime(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleTimeString(pageLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** An instant as weekday and wall-clock time in a time zone: "Tue 08:30" (周二 08:30). */
export function fmtWeekdayTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString(pageLocale(), {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}
