// Rolling-origin backtest of the lot forecast (README "Forecasts"). At each origin every lot is
// forecast from what was observed up to the origin only — the model as a daily job would have fitted
// it at the start of that UTC day, plus the last observation — and compared with what was observed
// at the target, beside three anchors: persistence, seasonal naive and HSL's predictor. Pure: data in,
// figures out.

import {
  type DayTypes,
  type ForecastModel,
  fitForecastModel,
  forecastFromModel,
  quarterFigures,
} from '../../shared/domain/forecast';
import { type OccupancyStep, replay } from '../../shared/domain/observation';
import { stepsUpTo } from '../../shared/domain/utilization/summary';
import type { Reading } from '../../shared/replay/datasets';

export const BACKTEST_HORIZONS = [15, 30, 60, 120, 240, 1440] as const;
export const PREDICTORS = ['model', 'persistence', 'seasonalNaive', 'hsl', 'hslRelativized'] as const;
export type Predictor = (typeof PREDICTORS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export interface BacktestOptions {
  timeZone: string;
  /** Origins cover the last this many days of the data (default 28). */
  evaluationDays?: number;
  /** Minutes between origins (default 120). */
  originEveryMinutes?: number;
  /** A step covers at most this long after it was observed (default 60 min). */
  staleAfterMs?: number;
  /** An origin counts for a lot only if its last observation is at most this old (default 60 min). */
  liveWithinMs?: number;
  /** The outcome at a target is interpolated between observations at most this far apart (default 75 min). */
  maxGapMs?: number;
  dayTypes?: DayTypes;
  halfLifeDays?: number;
  /** Only these lots (ids), e.g. for a quick run. */
  lots?: readonly string[];
  progress?: (message: string) => void;
}

interface Acc {
  n: number;
  absError: Record<Predictor, number>;
  inside: number;
}

const newAcc = (): Acc => ({
  n: 0,
  absError: { model: 0, persistence: 0, seasonalNaive: 0, hsl: 0, hslRelativized: 0 },
  inside: 0,
});

export interface HorizonFigures {
  horizonMinutes: number;
  n: number;
  mae: Record<Predictor, number>;
  /** 1 − MAE(model)/MAE(persistence). */
  skillVsPersistence: number;
  /** Share of outcomes inside the model's 80% interval. */
  coverage80: number;
}

export interface BacktestResult {
  lots: number;
  origins: number;
  firstOrigin: string;
  lastOrigin: string;
  horizons: HorizonFigures[];
  perLot: { lotId: string; capacity: number; horizons: HorizonFigures[] }[];
  modelBytes: { max: number; mean: number };
}

interface Lot {
  lotId: string;
  capacity: number;
  steps: OccupancyStep[];
}

function lotsOf(readings: readonly Reading[], only?: readonly string[]): Lot[] {
  const byLot = new Map<string, Reading[]>();
  for (const r of readings) {
    if (only && !only.includes(r.lotId)) continue;
    const list = byLot.get(r.lotId);
    if (list) list.push(r);
    else byLot.set(r.lotId, [r]);
  }
  return [...byLot.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([lotId, rs]) => ({
      lotId,
      capacity: Math.max(...rs.map((r) => r.capacity)),
      steps: replay(
        rs.map((r) => ({
          kind: 'count' as const,
          eventId: r.eventId,
          observedAt: r.observedAt,
          occupied: r.occupied,
        })),
      ),
    }));
}

/** The observed occupancy at `t`: interpolated between the observations either side, or null in a gap. */
export function outcomeAt(steps: readonly OccupancyStep[], t: number, maxGapMs: number): number | null {
  const i = stepsUpTo(steps, t) - 1;
  if (i < 0) return null;
  const a = steps[i]!;
  if (a.at === t) return a.occupied;
  const b = steps[i + 1];
  if (!b || b.at - a.at > maxGapMs) return null;
  return a.occupied + ((b.occupied - a.occupied) * (t - a.at)) / (b.at - a.at);
}

const clamp = (x: number, capacity: number) => Math.min(capacity, Math.max(0, x));

function finish(acc: Acc, horizonMinutes: number): HorizonFigures {
  const mae = Object.fromEntries(PREDICTORS.map((p) => [p, acc.n ? acc.absError[p] / acc.n : 0])) as Record<
    Predictor,
    number
  >;
  return {
    horizonMinutes,
    n: acc.n,
    mae,
    skillVsPersistence: mae.persistence > 0 ? 1 - mae.model / mae.persistence : 0,
    coverage80: acc.n ? acc.inside / acc.n : 0,
  };
}

export function runBacktest(readings: readonly Reading[], options: BacktestOptions): BacktestResult {
  const evaluationDays = options.evaluationDays ?? 28;
  const every = (options.originEveryMinutes ?? 120) * MINUTE;
  const staleAfterMs = options.staleAfterMs ?? HOUR;
  const liveWithinMs = options.liveWithinMs ?? HOUR;
  const maxGapMs = options.maxGapMs ?? 75 * MINUTE;
  const lots = lotsOf(readings, options.lots);
  const end = Math.max(...lots.map((l) => l.steps[l.steps.length - 1]?.at ?? 0));
  const start = Math.ceil((end - evaluationDays * DAY) / every) * every;
  const total = BACKTEST_HORIZONS.map(() => newAcc());
  const perLot: BacktestResult['perLot'] = [];
  const modelSizes: number[] = [];
  let origins = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const [k, lot] of lots.entries()) {
    options.progress?.(`lot ${k + 1}/${lots.length} ${lot.lotId}`);
    const series = { capacity: lot.capacity, staleAfterMs };
    const from = lot.steps[0]?.at ?? 0;
    // Quarter figures of quarters that end by t depend only on steps before t, so one pass over the
    // whole history serves every origin (the model takes only quarters ending by its fittedAt).
    const quarters = quarterFigures(lot.steps, series, from, end + HOUR);
    const accs = BACKTEST_HORIZONS.map(() => newAcc());
    let model: ForecastModel | null = null;
    for (let origin = start; origin <= end; origin += every) {
      const day = Math.floor(origin / DAY) * DAY;
      if (!model || model.fittedAt !== day) {
        model = fitForecastModel(quarters, {
          timeZone: options.timeZone,
          fittedAt: day,
          ...(options.dayTypes ? { dayTypes: options.dayTypes } : {}),
          ...(options.halfLifeDays ? { halfLifeDays: options.halfLifeDays } : {}),
        });
        modelSizes.push(JSON.stringify(model).length);
      }
      const seen = stepsUpTo(lot.steps, origin);
      const lastStep = lot.steps[seen - 1];
      if (!lastStep || origin - lastStep.at > liveWithinMs) continue;
      const current = clamp(lastStep.occupied, lot.capacity);
      const forecast = forecastFromModel({
        model,
        last: { at: lastStep.at, occupied: lastStep.occupied },
        capacity: lot.capacity,
        asOf: origin,
        horizons: BACKTEST_HORIZONS,
      });
      let counted = false;
      for (const [i, h] of BACKTEST_HORIZONS.entries()) {
        const target = origin + h * MINUTE;
        const observed = outcomeAt(lot.steps, target, maxGapMs);
        if (observed === null) continue;
        const truth = clamp(observed, lot.capacity);
        const p = forecast.points[i]!;
        // Anchors see only what was observed by the origin, too.
        const before = (t: number) => (t <= lastStep.at ? outcomeAt(lot.steps, t, maxGapMs) : null);
        const weekAgo = before(target - WEEK);
        const seasonal = weekAgo === null ? current : clamp(weekAgo, lot.capacity);
        const changes: number[] = [];
        const levels: number[] = [];
        for (let w = 1; w <= 3; w++) {
          const then = before(origin - w * WEEK);
          const later = before(target - w * WEEK);
          if (then === null || later === null) continue;
          changes.push(later - then);
          levels.push(then);
        }
        const meanChange = changes.length ? changes.reduce((a, b) => a + b, 0) / changes.length : 0;
        const meanLevel = levels.length ? levels.reduce((a, b) => a + b, 0) / levels.length : 0;
        const hsl = clamp(current + meanChange, lot.capacity);
        const hslRelativized = clamp(
          current + (meanLevel > 0 ? (meanChange * current) / meanLevel : meanChange),
          lot.capacity,
        );
        const errors: Record<Predictor, number> = {
          model: Math.abs(p.occupied! - truth),
          persistence: Math.abs(current - truth),
          seasonalNaive: Math.abs(seasonal - truth),
          hsl: Math.abs(hsl - truth),
          hslRelativized: Math.abs(hslRelativized - truth),
        };
        const inside = truth >= p.low! && truth <= p.high! ? 1 : 0;
        for (const acc of [accs[i]!, total[i]!]) {
          acc.n++;
          for (const pr of PREDICTORS) acc.absError[pr] += errors[pr];
          acc.inside += inside;
        }
        counted = true;
      }
      if (counted) {
        origins++;
        first = Math.min(first, origin);
        last = Math.max(last, origin);
      }
    }
    perLot.push({
      lotId: lot.lotId,
      capacity: lot.capacity,
      horizons: accs.map((a, i) => finish(a, BACKTEST_HORIZONS[i]!)),
    });
  }
  return {
    lots: lots.length,
    origins,
    firstOrigin: Number.isFinite(first) ? new Date(first).toISOString() : '',
    lastOrigin: Number.isFinite(last) ? new Date(last).toISOString() : '',
    horizons: total.map((a, i) => finish(a, BACKTEST_HORIZONS[i]!)),
    perLot,
    modelBytes: {
      max: Math.max(0, ...modelSizes),
      mean: modelSizes.length ? Math.round(modelSizes.reduce((a, b) => a + b, 0) / modelSizes.length) : 0,
    },
  };
}
