// A lot's opening hours as the pages say them (README "Opening hours"): "closes at 18:00" for an
// open lot with `closesAt` (the API sends it only within 24 hours), "opens at 08:00" for a closed
// one with `opensAt`, with the weekday when that is more than a day away. Times are the lot's own
// wall clock (its `timeZone`), not the browser's: a driver reads them off the lot's sign. Pure: no
// DOM, so that the words can be unit-tested.
import type { Lot } from './api-types';
import { fmtTime, fmtWeekdayTime } from './format';
import { t } from './i18n';

const DAY_MS = 86_400_000;

export type HoursFields = Pick<Lot, 'status' | 'opensAt' | 'closesAt' | 'timeZone'>;

/** The lot's next change by its hours, in words; null where it has none to say. */
export function hoursText(lot: HoursFields, nowMs: number): string | null {
  if (lot.status === 'closed') {
    if (lot.opensAt === null) return null;
    // Beyond a day, "opens at 08:00" alone would read as tomorrow (or today): name the day.
    const far = Date.parse(lot.opensAt) - nowMs > DAY_MS;
    const time = far ? fmtWeekdayTime(lot.opensAt, lot.timeZone) : fmtTime(lot.opensAt, lot.timeZone);
    return t('hours.opensAt', { time });
  }
  if (lot.closesAt === null) return null;
  return t('hours.closesAt', { time: fmtTime(lot.closesAt, lot.timeZone) });
}
