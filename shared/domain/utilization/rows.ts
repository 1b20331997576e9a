// Report rows (CONTRACT §4, §4.1): per lot from its summary, per zone as one lot whose occupancy is
// the sum over its lots covered at each instant. Numbers are not rounded; no coverage → nulls.
import type { DataFlag } from '../lot';
import type { OccupancyStep } from '../observation';
import { addSegment, EMPTY_SUMMARY, type Summary } from './summary';

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
 * instant, which needs their step functions.
 */
export function zoneRow(members: readonly ZoneMember[], start: number, end: number): RowFigures {
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
  const summed = summedPeaks(members, start, end);
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

/** Peak and min of Σ occupancy over the members covered at each instant (any member covered). */
function summedPeaks(members: readonly ZoneMember[], start: number, end: number): Summary {
  // Every instant where some member's value or coverage changes.
  const cuts = new Set<number>([start, end]);
  for (const m of members) {
    for (const step of m.steps) {
      if (step.at > start && step.at < end) cuts.add(step.at);
      const expiry = step.at + m.staleAfterMs;
      if (expiry > start && expiry < end) cuts.add(expiry);
    }
  }
  const times = [...cuts].sort((a, b) => a - b);
  const cursors = members.map(() => -1);
  const s: Summary = { ...EMPTY_SUMMARY };
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i]!;
    let covered = false;
    let sum = 0;
    members.forEach((m, k) => {
      let c = cursors[k]!;
      while (c + 1 < m.steps.length && m.steps[c + 1]!.at <= t) c++;
      cursors[k] = c;
      const step = m.steps[c];
      if (step && t < step.at + m.staleAfterMs) {
        covered = true;
        sum += step.occupied;
      }
    });
    if (covered) addSegment(s, t, times[i + 1]!, sum, Number.POSITIVE_INFINITY);
  }
  return s;
}
