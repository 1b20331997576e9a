// The time-weighted figures of README "Utilization reports" for one lot over one interval, and how
// summaries of adjacent intervals combine. Pure.
//
// A lot's occupancy is the step function of its history in observation-time order (replay()).
// A step's value holds until the next step and is *covered* for at most staleAfter after its own
// observation. Summaries of adjacent intervals combine exactly (sums, and the first max/min), which
// is what lets rollups of UTC quarter hours answer hourly and daily buckets in any zone whose
// offset is a whole number of quarter hours (every zone since 1979) without reading raw history;
// a bucket edge inside a quarter (older offsets such as −0:44:30, or a range bound at 10:07) is
// summarized from the exact steps instead.
import type { OccupancyStep } from '../observation';

/** Rollups summarize each UTC quarter hour. */
export const QUARTER_MS = 15 * 60_000;

export interface Summary {
  /** Covered time in the interval (ms). */
  coveredMs: number;
  /** ∫ occupancy over covered time (occupancy × ms), raw values. */
  integral: number;
  /** Covered time with occupancy ≥ capacity (ms). */
  fullMs: number;
  /** Highest occupancy over covered time and the first instant it holds; null when nothing is covered. */
  peak: number | null;
  peakAt: number | null;
  min: number | null;
  minAt: number | null;
  /** Distinct observations with observedAt in the interval. */
  observations: number;
}

export const EMPTY_SUMMARY: Summary = {
  coveredMs: 0,
  integral: 0,
  fullMs: 0,
  peak: null,
  peakAt: null,
  min: null,
  minAt: null,
  observations: 0,
};

export interface SeriesParams {
  capacity: number;
  staleAfterMs: number;
}

/**
 * Summarizes `steps` (ordered, as replay() returns them) over [start, end). Steps before `start`
 * carry their value in; steps at or after `end` are ignored.
 */
export function summarize(
  steps: readonly OccupancyStep[],
  params: SeriesParams,
  start: number,
  end: number,
): Summary {
  const s: Summary = { ...EMPTY_SUMMARY };
  if (!(end > start)) return s;
  // The last step before `start` carries its value in; every step at or after `start` is counted,
  // including several at exactly `start`.
  for (let i = Math.max(0, stepsBefore(steps, start) - 1); i < steps.length && steps[i]!.at < end; i++) {
    const step = steps[i]!;
    if (step.at >= start) s.observations++;
    const next = steps[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    const from = Math.max(step.at, start);
    const until = Math.min(next, step.at + params.staleAfterMs, end);
    if (until > from) addSegment(s, from, until, step.occupied, params.capacity);
  }
  return s;
}

/** How many steps are at or before `t` (binary search; steps are ordered by time). */
export function stepsUpTo(steps: readonly OccupancyStep[], t: number): number {
  return countWhile(steps, (at) => at <= t);
}

/** How many steps are strictly before `t`. */
export function stepsBefore(steps: readonly OccupancyStep[], t: number): number {
  return countWhile(steps, (at) => at < t);
}

function countWhile(steps: readonly OccupancyStep[], holds: (at: number) => boolean): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(steps[mid]!.at)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds a covered constant segment [from, until) with value `v`. */
export function addSegment(s: Summary, from: number, until: number, v: number, capacity: number) {
  const ms = until - from;
  s.coveredMs += ms;
  s.integral += v * ms;
  if (v >= capacity) s.fullMs += ms;
  if (s.peak === null || v > s.peak) {
    s.peak = v;
    s.peakAt = from;
  }
  if (s.min === null || v < s.min) {
    s.min = v;
    s.minAt = from;
  }
}

/** Adds the summary of the interval right after `into`'s to it, in place (what combine() returns). */
export function combineInto(into: Summary, b: Summary): void {
  into.coveredMs += b.coveredMs;
  into.integral += b.integral;
  into.fullMs += b.fullMs;
  if (b.peak !== null && (into.peak === null || b.peak > into.peak)) {
    into.peak = b.peak;
    into.peakAt = b.peakAt;
  }
  if (b.min !== null && (into.min === null || b.min < into.min)) {
    into.min = b.min;
    into.minAt = b.minAt;
  }
  into.observations += b.observations;
}

/**
 * A summary as rollup items store it: [coveredMs, integral, fullMs, peak, peakAt, min, minAt,
 * observations], or 0 for an interval with nothing covered and nothing observed. Reports add
 * these straight into a Summary (combinePacked), without making an object per quarter.
 */
export type PackedSummary =
  | [number, number, number, number | null, number | null, number | null, number | null, number]
  | 0;

export function packSummary(s: Summary): PackedSummary {
  if (s.coveredMs === 0 && s.observations === 0) return 0;
  return [s.coveredMs, s.integral, s.fullMs, s.peak, s.peakAt, s.min, s.minAt, s.observations];
}

/** combineInto() for a packed summary. */
export function combinePacked(into: Summary, p: PackedSummary): void {
  if (p === 0) return;
  into.coveredMs += p[0];
  into.integral += p[1];
  into.fullMs += p[2];
  if (p[3] !== null && (into.peak === null || p[3] > into.peak)) {
    into.peak = p[3];
    into.peakAt = p[4];
  }
  if (p[5] !== null && (into.min === null || p[5] < into.min)) {
    into.min = p[5];
    into.minAt = p[6];
  }
  into.observations += p[7];
}

/** The summary of [a.start, b.end) from those of adjacent [a.start, m) and [m, b.end). */
export function combine(a: Summary, b: Summary): Summary {
  const peakFromB = b.peak !== null && (a.peak === null || b.peak > a.peak);
  const minFromB = b.min !== null && (a.min === null || b.min < a.min);
  return {
    coveredMs: a.coveredMs + b.coveredMs,
    integral: a.integral + b.integral,
    fullMs: a.fullMs + b.fullMs,
    peak: peakFromB ? b.peak : a.peak,
    peakAt: peakFromB ? b.peakAt : a.peakAt,
    min: minFromB ? b.min : a.min,
    minAt: minFromB ? b.minAt : a.minAt,
    observations: a.observations + b.observations,
  };
}
