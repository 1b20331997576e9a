// A forecast straight from a lot's step function, as it would have been made at `asOf`: only
// steps observed at or before asOf count. What the backtest and the tests drive; the service
// answers the same from a stored model (forecastFromModel).
import type { OccupancyStep } from '../observation';
import { QUARTER_MS, type SeriesParams, stepsUpTo } from '../utilization/summary';
import { type FitOptions, fitForecastModel } from './model';
import { type ForecastResult, forecastFromModel } from './predict';
import { quarterFigures } from './quarters';

export interface HistoryForecastInput {
  steps: readonly OccupancyStep[];
  series: SeriesParams;
  asOf: number;
  horizons: readonly number[];
  fit: Omit<FitOptions, 'fittedAt'>;
}

export function forecastFromHistory(input: HistoryForecastInput): ForecastResult {
  const seen = input.steps.slice(0, stepsUpTo(input.steps, input.asOf));
  const lastStep = seen[seen.length - 1];
  // From the quarter of the first step, as rollups cover it.
  const from = Math.floor((seen[0]?.at ?? input.asOf) / QUARTER_MS) * QUARTER_MS;
  const model =
    seen.length === 0
      ? null
      : fitForecastModel(quarterFigures(seen, input.series, from, input.asOf), {
          ...input.fit,
          fittedAt: input.asOf,
        });
  return forecastFromModel({
    model,
    last: lastStep ? { at: lastStep.at, occupied: lastStep.occupied } : null,
    capacity: input.series.capacity,
    asOf: input.asOf,
    horizons: input.horizons,
  });
}
