// Report rows (README "Utilization reports"): per lot from its summary, per zone as one lot whose
// occupancy is the sum over its lots covered at each instant. Numbers are not rounded; no
// coverage → nulls.
import type { DataFlag } from '../lot';
import type { OccupancyStep } from '../observation';
import { addSegment, EMPTY_SUMMARY, type Summary, stepsUpTo } from './summary';

export interface RowFigures {
  avgOccupied: number | null;
  utilization: number | null;
  peakOccupied: number | null;
  peakAt: string | null;
  minOccupied: number | null;
  timeFull: number | null;
  coverage: number;
  observations: number;
  flags: DataFlag[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function flagsOf(peak: number | null, min: number | null, capacity: number): DataFlag[] {
  const flags: DataFlag[] = [];
  if (peak !== null && peak > capacity) flags.push('over_capacity');
  if (min !== null && min < 0) flags.push('negative_count');
  return flags;
}

export function lotRow(s: Summary, capacity: number, bucketMs: number): RowFigures {
  if (s.coveredMs === 0) {
    return {
      avgOccupied: null,
      utilization: null,
      peakOccupied: null,
      peakAt: null,
      minOccupied: null,
      timeFull: null,
      coverage: 0,
      observations: s.observations,
      flags: [],
    };
  }
  const avg = s.integral / s.coveredMs;
  return {
    avgOccupied: avg,
    utilization: avg / capacity,
    peakOccupied: s.peak,
    peakAt: iso(s.peakAt),
    minOccupied: s.min,
    timeFull: s.fullMs / s.coveredMs,
    coverage: s.coveredMs / bucketMs,
    observations: s.observations,
    flags: flagsOf(s.peak, s.min, capacity),
  };
}

export interface ZoneMember {
  capacity: number;
  staleAfterMs: number;
  steps: readonly OccupancyStep[];
  /** The lot's summary over the bucket (for the capacity-weighted figures). */
  summary: Summary;
}

/**
 * A zone row. Coverage, utilization and timeFull are capacity-weighted from the members'
 * summaries; peak, min and peakAt come from the summed occupancy of the members covered at each
 * instant, which needs their step functions, or `summedPeak` when the caller has it already (from
 * zone rollups, README "Utilization reports"): only its peak, peakAt and min are used.
 */
export function zoneRow(
  members: readonly ZoneMember[],
  start: number,
  end: number,
  summedPeak: Summary = summedPeaks(members, start, end),
): RowFigures {
  const bucketMs = end - start;
  const capacity = members.reduce((sum, m) => sum + m.capacity, 0);
  const weightedCovered = members.reduce((sum, m) => sum + m.capacity * m.summary.coveredMs, 0); // cap × ms
  const observations = members.reduce((sum, m) => sum + m.summary.observations, 0);
  if (weightedCovered === 0 || capacity === 0) {
    return { ...lotRow(EMPTY_SUMMARY, 1, bucketMs), observations };
  }
  const integral = members.reduce((sum, m) => sum + m.summary.integral, 0);
  const fullWeighted = members.reduce((sum, m) => sum + m.capacity * m.summary.fullMs, 0);
  const utilization = integral / weightedCovered;
  const summed = summedPeak;
  return {
    avgOccupied: utilization * capacity,
    utilization,
    peakOccupied: summed.peak,
    peakAt: iso(summed.peakAt),
    minOccupied: summed.min,
    timeFull: fullWeighted / weightedCovered,
    coverage: weightedCovered / (capacity * bucketMs),
    observations,
    flags: flagsOf(summed.peak, summed.min, capacity),
  };
}

/**
 * Peak and min of Σ occupancy over the members covered at each instant (any member covered): a
 * sweep over the instants where some member's value starts or stops counting. Each member's steps
 * are searched for the bucket (binary search), so a bucket costs O(members · log steps + E log E)
 * for the E steps inside it, not a pass over every member's whole range per instant.
 */
export function summedPeaks(
  members: readonly Pick<ZoneMember, 'staleAfterMs' | 'steps'>[],
  start: number,
  end: number,
): Summary {
  // [time, Δ occupancy, Δ members covered]
  const events: [number, number, number][] = [];
  for (const m of members) {
    const steps = m.steps;
    // The last step at or before `start` carries its value in; steps from `end` on do not count.
    for (let i = Math.max(0, stepsUpTo(steps, start) - 1); i < steps.length && steps[i]!.at < end; i++) {
      const step = steps[i]!;
      const from = Math.max(step.at, start);
      const until = Math.min(steps[i + 1]?.at ?? Number.POSITIVE_INFINITY, step.at + m.staleAfterMs, end);
      if (until <= from) continue;
      events.push([from, step.occupied, 1], [until, -step.occupied, -1]);
    }
  }
  events.sort((a, b) => a[0] - b[0]);
  const s: Summary = { ...EMPTY_SUMMARY };
  let sum = 0;
  let covered = 0;
  for (let i = 0; i < events.length; ) {
    const t = events[i]![0];
    for (; i < events.length && events[i]![0] === t; i++) {
      sum += events[i]![1];
      covered += events[i]![2];
    }
    const next = events[i]?.[0];
    if (next !== undefined && covered > 0) addSegment(s, t, next, sum, Number.POSITIVE_INFINITY);
  }
  return s;
}
