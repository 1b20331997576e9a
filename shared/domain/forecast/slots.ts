// Where an instant falls in a lot's week: its local day type and the quarter hour of its local
// wall clock. DST-exact because the offset is the zone's own at that instant (zoned-time), so
// 08:00 is slot 32 on the day clocks go forward as on any other day, and the repeated hour when
// they go back lands twice in the same slots.
import { zoneOffsetMs } from '../zoned-time';

export const QUARTERS_PER_DAY = 96;
const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/**
 * How days are told apart: 3 = Monday–Friday, Saturday, Sunday (the shape most car parks have,
 * and three times the samples per slot of a per-weekday profile); 7 = each weekday its own.
 */
export type DayTypes = 3 | 7;

/** 0..6 from the local weekday (0 = Sunday, as Date counts). */
export function dayTypeOf(localWeekday: number, dayTypes: DayTypes): number {
  if (dayTypes === 7) return localWeekday;
  return localWeekday === 6 ? 1 : localWeekday === 0 ? 2 : 0;
}

export interface LocalSlot {
  /** Index into a profile: dayType × 96 + quarter of the local day. */
  slot: number;
  /** Local calendar day number (days since 1970-01-01 of the local wall clock). */
  localDay: number;
}

/** The profile slot of instant `ms` in `timeZone` (the local quarter hour that contains it). */
export function localSlot(ms: number, timeZone: string, dayTypes: DayTypes): LocalSlot {
  const local = ms + zoneOffsetMs(ms, timeZone);
  const localDay = Math.floor(local / DAY_MS);
  const quarter = Math.floor((local - localDay * DAY_MS) / QUARTER_MS);
  const weekday = (((localDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return { slot: dayTypeOf(weekday, dayTypes) * QUARTERS_PER_DAY + quarter, localDay };
}
