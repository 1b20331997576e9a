// Weekday × hour mean utilization (README "Utilization reports"): for each local (weekday, hour)
// cell, the covered-time-weighted mean of the hourly utilizations that fall in it. Per hourly
// bucket the inputs are Σ integral (occupancy·ms) and Σ capacity × covered ms over the lots
// reported on, so a zone's hour weighs as one lot with the zone's capacity.
import { localFields, localHourAndWeekday } from './buckets';

export interface HourInput {
  start: number;
  end: number;
  /** The zone's offset at `start`, when the caller knows it (saves a look-up per hour). */
  startOffsetMs?: number;
  integral: number;
  capacityCoveredMs: number;
  capacity: number;
}

export interface HeatmapCell {
  weekday: number;
  hour: number;
  utilization: number | null;
  coverage: number;
}

export function heatmap(hours: readonly HourInput[], timeZone: string): HeatmapCell[] {
  const cells = Array.from({ length: 7 * 24 }, () => ({ integral: 0, weighted: 0, possible: 0 }));
  for (const h of hours) {
    const f =
      h.startOffsetMs === undefined
        ? localFields(h.start, timeZone)
        : localHourAndWeekday(h.start, h.startOffsetMs);
    const cell = cells[(f.weekday - 1) * 24 + f.hour]!;
    cell.integral += h.integral;
    cell.weighted += h.capacityCoveredMs;
    cell.possible += h.capacity * (h.end - h.start);
  }
  return cells.map((c, i) => ({
    weekday: Math.floor(i / 24) + 1,
    hour: i % 24,
    utilization: c.weighted === 0 ? null : c.integral / c.weighted,
    coverage: c.possible === 0 ? 0 : c.weighted / c.possible,
  }));
}
