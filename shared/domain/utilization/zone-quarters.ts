// The summed peak of a zone per UTC quarter hour (README "Utilization reports"): the peak and min of
// the SUM of its lots' occupancy over the instants some lot is covered, which per-lot summaries
// cannot give (two lots peaking at different times). Zone rollups store these per UTC day; like
// quarter summaries they combine exactly, the first maximum and first minimum winning. Pure.
import type { OccupancyStep } from '../observation';
import { summedPeaks } from './rows';
import { QUARTER_MS, type Summary } from './summary';

const QUARTERS_PER_DAY = 96;

/** [peak, peakAt, min, minAt] of a quarter's summed occupancy, or 0 when no lot is covered in it. */
export type PackedPeak = [number, number, number, number] | 0;

export interface ZoneQuarterMember {
  staleAfterMs: number;
  /** The lot's exact steps over the day, with the one carried in at its start. */
  steps: readonly OccupancyStep[];
}

/** The 96 quarters of the UTC day starting at `dayStart`. */
export function zoneDayQuarters(members: readonly ZoneQuarterMember[], dayStart: number): PackedPeak[] {
  const quarters: PackedPeak[] = [];
  for (let q = 0; q < QUARTERS_PER_DAY; q++) {
    const qs = dayStart + q * QUARTER_MS;
    const s = summedPeaks(members, qs, qs + QUARTER_MS);
    quarters.push(s.peak === null ? 0 : [s.peak, s.peakAt!, s.min!, s.minAt!]);
  }
  return quarters;
}

/** Adds the summed peak of the interval right after `into`'s (first maximum and minimum win). */
export function combinePeak(into: Summary, p: PackedPeak | Summary): void {
  const [peak, peakAt, min, minAt] =
    p === 0 ? [null, null, null, null] : Array.isArray(p) ? p : [p.peak, p.peakAt, p.min, p.minAt];
  if (peak !== null && (into.peak === null || peak > into.peak)) {
    into.peak = peak;
    into.peakAt = peakAt;
  }
  if (min !== null && (into.min === null || min < into.min)) {
    into.min = min;
    into.minAt = minAt;
  }
}
