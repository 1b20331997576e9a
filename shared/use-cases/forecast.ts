// Drivers and staff: a lot's forecast (README "Forecasts").
// The forecast at `asOf` is the model fitted at F = the start of asOf's UTC day, over the
// FORECAST_TRAINING_DAYS before F (observations with observedAt < F only), plus the last
// observation at or before asOf. So the answer depends only on observations at or before asOf:
// a past asOf answers what the service would have answered then (with the data it has now), and the
// same question with the same data gives the same answer.
// 1. The stored model is used when it is the one for F (the scheduled job refits every lot once a
//    UTC day, and again when late observations reach its training window).
// 2. Otherwise (a past asOf, a new lot, the minutes after midnight UTC before the job ran) the model
//    is fitted here, within a raw-history budget; nothing is written.
import {
  FORECAST_HORIZONS,
  FORECAST_TRAINING_DAYS,
  type ForecastModel,
  type ForecastPoint,
  fitForecastModel,
  fitInstantFor,
  forecastFromModel,
  isPastAsOf,
  type LastObservation,
  quarterFigures,
  trainingStart,
} from '../domain/forecast';
import type { OccupancyStep } from '../domain/observation';
import type { StoredLot } from '../domain/stored-lot';
import { stepsUpTo } from '../domain/utilization/summary';
import { mapLimit } from '../lib/concurrency';
import { HistoryBudgetError, InvalidInputError, NotFoundError, StoreUnavailableError } from './errors';
import type { Dependencies, ReadStats } from './ports';
import { REPORT_LIMITS } from './reports';

/** Raw observations one forecast may read to fit a model on demand: the reports' budget. */
export const FORECAST_RAW_OBSERVATIONS = REPORT_LIMITS.rawObservations;

/** What the scheduled job refits per run, and the history it reads for one lot. */
export const FORECAST_JOB_LIMITS = { fitsPerRun: 100, concurrency: 4, rawObservationsPerLot: 250_000 };

/**
 * Whether the rollups hold the exact state carried into `from`'s UTC day: rollups of days before
 * the lot's mark (its earliest observation not yet rolled up) are current.
 */
const carryCurrent = (lot: StoredLot, from: number) =>
  lot.rollupFrom === null || lot.rollupFrom >= fitInstantFor(from);

/** Whether a stored model is the one this lot's history gives at F. */
export function storedModelCurrent(
  stored: { fittedAt: number; timeZone: string } | null | undefined,
  lot: StoredLot,
  fittedAt: number,
): boolean {
  return (
    stored != null &&
    stored.fittedAt === fittedAt &&
    stored.timeZone === lot.timeZone &&
    // An observation before F not yet rolled up may not be in the model: fit again.
    (lot.rollupFrom === null || lot.rollupFrom >= fittedAt)
  );
}

/** The model of a lot at `fittedAt` from its steps (any steps before the window are ignored). */
export function modelFromSteps(
  steps: readonly OccupancyStep[],
  lot: Pick<StoredLot, 'capacity' | 'staleAfterSeconds' | 'timeZone'>,
  fittedAt: number,
): ForecastModel {
  const series = { capacity: lot.capacity, staleAfterMs: lot.staleAfterSeconds * 1000 };
  const quarters = quarterFigures(steps, series, trainingStart(fittedAt), fittedAt);
  return fitForecastModel(quarters, { timeZone: lot.timeZone, fittedAt });
}

function lastAtOrBefore(steps: readonly OccupancyStep[], t: number): LastObservation | null {
  const n = stepsUpTo(steps, t);
  const s = n === 0 ? undefined : steps[n - 1];
  return s ? { at: s.at, occupied: s.occupied } : null;
}

/** The rollups are being rebuilt (after late data or a capacity change): the job is minutes away. */
const NOT_READY_SECONDS = 60;
function notReady(what: string) {
  return new StoreUnavailableError(
    `${what}; the scheduled job brings it up to date within minutes`,
    NOT_READY_SECONDS,
  );
}

export interface ForecastQuery {
  lotId: string;
  horizons?: readonly number[] | undefined;
  asOf?: number | undefined;
}

export interface LotForecast {
  lotId: string;
  asOf: number;
  basis: { lastObservedAt: number | null; historyDays: number };
  points: ForecastPoint[];
  /** Whether the stored model answered (false: fitted on demand, or none needed). */
  storedModel: boolean;
  stats: ReadStats;
}

type Deps = Pick<Dependencies, 'lots' | 'rollups' | 'forecasts' | 'now'>;

export async function forecastLot(
  deps: Deps,
  q: ForecastQuery,
  rawObservations = FORECAST_RAW_OBSERVATIONS,
): Promise<LotForecast> {
  const now = deps.now();
  if (q.asOf !== undefined && q.asOf > now) {
    throw new InvalidInputError('asOf in the future', [
      {
        path: 'asOf',
        message: 'must not be later than now (a forecast is made as of now or a past instant)',
      },
    ]);
  }
  const horizons = q.horizons ?? FORECAST_HORIZONS.default;
  const lot = await deps.lots.get(q.lotId);
  if (lot === null) throw new NotFoundError(`lot ${q.lotId} does not exist`);
  // By default, now, or the lot's last observation if a sensor's clock ahead (ingestion takes up
  // to 5 minutes) put it later: the lot item then holds the last value, and no history is read.
  const asOf = q.asOf ?? Math.max(now, lot.lastAt ?? now);
  const stats: ReadStats = { itemsRead: 1, rawObservationsRead: 0 };
  const answer = (model: ForecastModel | null, last: LastObservation | null, storedModel: boolean) => ({
    lotId: lot.id,
    asOf,
    basis: { lastObservedAt: last?.at ?? null, historyDays: model?.historyDays ?? 0 },
    points: forecastFromModel({ model, last, capacity: lot.capacity, asOf, horizons }).points,
    storedModel,
    stats,
  });
  // No observation at all: nothing to predict from, and nothing to read.
  if (lot.lastAt === null || lot.occupied === null) return answer(null, null, false);

  const fittedAt = fitInstantFor(asOf);
  // The lot item holds the last observation unless one observed after asOf came in since.
  const lastFromLot = lot.lastAt <= asOf;
  const stored = await deps.forecasts.get(lot);
  stats.itemsRead++;
  const budgeted = async (from: number, to: number) => {
    if (!carryCurrent(lot, from)) throw notReady(`the history of lot ${lot.id} is being rolled up`);
    try {
      return await deps.rollups.stepsBetween(lot, from, to, stats, rawObservations);
    } catch (error) {
      if (!(error instanceof HistoryBudgetError)) throw error;
      if (isPastAsOf(asOf, now)) {
        throw new InvalidInputError('too much history', [
          {
            path: 'asOf',
            message:
              `the ${FORECAST_TRAINING_DAYS} days of history a forecast at this asOf learns from hold more ` +
              `than ${rawObservations} observations, too many to fit a model on demand`,
          },
        ]);
      }
      throw notReady(`the forecast model of lot ${lot.id} is not fitted yet`);
    }
  };

  if (storedModelCurrent(stored, lot, fittedAt)) {
    if (lastFromLot) return answer(stored, { at: lot.lastAt, occupied: lot.occupied }, true);
    const steps = await budgeted(asOf, asOf + 1);
    return answer(stored, lastAtOrBefore(steps, asOf), true);
  }
  // One read serves the fit and, when asOf is before the lot's last observation, the last value.
  const steps = await budgeted(trainingStart(fittedAt), lastFromLot ? fittedAt : asOf + 1);
  const model = modelFromSteps(steps, lot, fittedAt);
  const last = lastFromLot ? { at: lot.lastAt, occupied: lot.occupied } : lastAtOrBefore(steps, asOf);
  return answer(model, last, false);
}

/** Whether the job must fit this lot's model again (README "Forecasts"). */
function needsRefit(stored: { fittedAt: number; timeZone: string } | undefined, lot: StoredLot, F: number) {
  if (lot.lastAt === null) return false; // nothing to learn from; the route answers nulls
  if (stored === undefined || stored.fittedAt < F || stored.timeZone !== lot.timeZone) return true;
  // Observations that arrived after the fit for instants before it (late data, a capacity change).
  return lot.rollupFrom !== null && lot.rollupFrom < stored.fittedAt;
}

export interface ModelRefresh {
  lots: number;
  fitted: number;
  /** Due but left for a later run (the per-run bound) or skipped (history still being rolled up). */
  remaining: number;
  /** Lots whose training window holds more history than the job reads for one lot (stored as persistence). */
  tooMuchHistory: number;
  stats: ReadStats;
}

/**
 * The scheduled job's part (functions/jobs.ts, and the local server's timer): fits the model of
 * every lot whose stored one is not the current day's. `lots` must be read before the rollup
 * refresh of the same run, whose rebuild clears the marks this reads; the fit itself reads each lot
 * again after that refresh, so the carried state it starts from is current.
 */
export async function refreshForecastModels(
  deps: Deps,
  lots: readonly StoredLot[],
  limits = FORECAST_JOB_LIMITS,
): Promise<ModelRefresh> {
  const F = fitInstantFor(deps.now());
  const stored = await deps.forecasts.fittedAt(lots);
  const due = lots.filter((lot) => needsRefit(stored.get(lot.id), lot, F));
  const stats: ReadStats = { itemsRead: 0, rawObservationsRead: 0 };
  let fitted = 0;
  let skipped = 0;
  let tooMuchHistory = 0;
  await mapLimit(due.slice(0, limits.fitsPerRun), limits.concurrency, async (listed) => {
    const lot = await deps.lots.get(listed.id, true);
    if (lot === null || lot.generation !== listed.generation) return; // deleted meanwhile
    if (!carryCurrent(lot, trainingStart(F))) {
      skipped++;
      return;
    }
    try {
      const steps = await deps.rollups.stepsBetween(
        lot,
        trainingStart(F),
        F,
        stats,
        limits.rawObservationsPerLot,
      );
      await deps.forecasts.put(lot, modelFromSteps(steps, lot, F));
      fitted++;
    } catch (error) {
      if (!(error instanceof HistoryBudgetError)) throw error;
      // A model that learned nothing forecasts by persistence, and stops this lot from being
      // read in full again every run until the next day.
      await deps.forecasts.put(lot, fitForecastModel([], { timeZone: lot.timeZone, fittedAt: F }));
      tooMuchHistory++;
    }
  });
  return {
    lots: lots.length,
    fitted,
    remaining: Math.max(0, due.length - limits.fitsPerRun) + skipped,
    tooMuchHistory,
    stats,
  };
}
