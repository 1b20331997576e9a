// A lot's history as quarter-hour figures (covered time and ∫occupancy per UTC quarter), the shape
// rollup items have (README "Utilization reports"). The forecast learns from the occupancy
// *between* counts read as a straight line from one count to the next (when they are at most
// staleAfter apart), not as the step function reports use: car parks fill at hundreds of cars an
// hour, and a step held for half an hour lags the curve by a quarter hour, which the profile would
// learn as a bias.
import type { OccupancyStep } from '../observation';
import { QUARTER_MS, type SeriesParams, stepsBefore } from '../utilization/summary';

export interface QuarterFigure {
  /** Epoch ms of the UTC quarter's start. */
  start: number;
  /** Covered time in the quarter (ms). */
  coveredMs: number;
  /** ∫ occupancy over the covered time (occupancy × ms). */
  integral: number;
}

/**
 * The figures of every whole UTC quarter in [from, until) that has covered time; only steps before
 * a quarter's end shape it, so a quarter that ends by t is the same whatever is observed after t.
 * Cost: one pass over the quarters and the steps in them.
 */
export function quarterFigures(
  steps: readonly OccupancyStep[],
  params: SeriesParams,
  from: number,
  until: number,
): QuarterFigure[] {
  const out: QuarterFigure[] = [];
  const first = Math.ceil(from / QUARTER_MS) * QUARTER_MS;
  let i = Math.max(0, stepsBefore(steps, first) - 1);
  for (let q = first; q + QUARTER_MS <= until; q += QUARTER_MS) {
    const end = q + QUARTER_MS;
    while (i + 1 < steps.length && steps[i + 1]!.at <= q) i++;
    let coveredMs = 0;
    let integral = 0;
    for (let j = i; j < steps.length && steps[j]!.at < end; j++) {
      const a = steps[j]!;
      const b = steps[j + 1];
      // The next count is only known if it is observed before the quarter ends.
      const next = b && b.at < end ? b : undefined;
      const lo = Math.max(a.at, q);
      if (next && next.at - a.at <= params.staleAfterMs) {
        const hi = Math.min(next.at, end);
        if (hi <= lo) continue;
        const slope = (next.occupied - a.occupied) / (next.at - a.at);
        const mid = (lo + hi) / 2;
        coveredMs += hi - lo;
        integral += (a.occupied + slope * (mid - a.at)) * (hi - lo);
      } else {
        const hi = Math.min(next ? next.at : end, a.at + params.staleAfterMs, end);
        if (hi <= lo) continue;
        coveredMs += hi - lo;
        integral += a.occupied * (hi - lo);
      }
    }
    if (coveredMs > 0) out.push({ start: q, coveredMs, integral });
  }
  return out;
}
