// The forecast model of one lot, learned from its quarter-hour figures: a profile of mean
// occupancy by local day type and quarter hour, how fast a departure from the profile fades
// (φ by horizon), and the lot's own forecast errors by horizon for an 80% interval.
// Small enough to store as one item (README "Forecasts"); pure and deterministic.
import type { QuarterFigure } from './quarters';
import { type DayTypes, localSlot, QUARTERS_PER_DAY } from './slots';

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** Horizons (minutes) at which φ and the error quantiles are fitted; between them, linear. */
export const MODEL_HORIZONS = [15, 30, 60, 120, 240, 480, 720, 1080, 1440] as const;

/** The central 80% interval: the 10% and 90% quantiles of past errors. */
export const LOW_QUANTILE = 0.1;
export const HIGH_QUANTILE = 0.9;

/** Measured by the backtest on Birmingham: a week's half-life beat equal weights at 1 h–24 h. */
export const DEFAULT_HALF_LIFE_DAYS = 7;

export interface FitOptions {
  timeZone: string;
  /** Only quarters that end at or before this instant are learned from. */
  fittedAt: number;
  dayTypes?: DayTypes;
  /**
   * Weight of a quarter `d` days before fittedAt is halfLife^(−d/halfLifeDays): recent weeks count
   * more, so a car park that changed its pattern follows within a few weeks. Infinity = equal;
   * default DEFAULT_HALF_LIFE_DAYS.
   */
  halfLifeDays?: number;
  /** A slot needs this much covered time (in quarters' worth) before the profile speaks for it. */
  minSlotQuarters?: number;
}

export interface ForecastModel {
  version: 1;
  timeZone: string;
  fittedAt: number;
  dayTypes: DayTypes;
  /** Distinct local days with covered time among the quarters learned from. */
  historyDays: number;
  /** Mean occupancy per slot (dayType × 96 + local quarter), 0.1 precision; null = too little data. */
  profile: (number | null)[];
  /** Minutes; φ, low and high are given at each. */
  horizons: number[];
  /** How much of the current departure from the profile is still there after each horizon (0..1). */
  phi: number[];
  /** 10% / 90% quantiles of (outcome − model forecast) at each horizon (occupancy units). */
  low: number[];
  high: number[];
  /** The same for persistence (outcome − current value), used where the profile cannot speak. */
  persistenceLow: number[];
  persistenceHigh: number[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Nearest-rank quantile of an ascending array (empty → 0). */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

interface Sample {
  start: number;
  slot: number;
  mean: number;
  weight: number;
  /** ∫ and covered time weighted as the profile counts them, to take this quarter out again. */
  wIntegral: number;
  wCovered: number;
  coveredMs: number;
}

/**
 * Learns a model from quarter figures (any order; quarters ending after fittedAt are ignored).
 * Cost: O(quarters × horizons), no allocation beyond one sample per quarter.
 */
export function fitForecastModel(quarters: readonly QuarterFigure[], options: FitOptions): ForecastModel {
  const dayTypes = options.dayTypes ?? 3;
  const halfLifeDays = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const minCovered = (options.minSlotQuarters ?? 2) * QUARTER_MS;
  const slots = dayTypes * QUARTERS_PER_DAY;
  const sumIntegral = new Float64Array(slots);
  const sumCovered = new Float64Array(slots);
  const rawCovered = new Float64Array(slots);
  const byStart = new Map<number, Sample>();
  const days = new Set<number>();
  const usable = quarters
    .filter((q) => q.start + QUARTER_MS <= options.fittedAt && q.coveredMs > 0)
    .sort((a, b) => a.start - b.start);
  for (const q of usable) {
    const { slot, localDay } = localSlot(q.start, options.timeZone, dayTypes);
    const ageDays = (options.fittedAt - q.start) / DAY_MS;
    const weight = Number.isFinite(halfLifeDays) ? 2 ** (-ageDays / halfLifeDays) : 1;
    const sample: Sample = {
      start: q.start,
      slot,
      mean: q.integral / q.coveredMs,
      weight,
      wIntegral: q.integral * weight,
      wCovered: q.coveredMs * weight,
      coveredMs: q.coveredMs,
    };
    byStart.set(q.start, sample);
    days.add(localDay);
    sumIntegral[slot]! += sample.wIntegral;
    sumCovered[slot]! += sample.wCovered;
    rawCovered[slot]! += q.coveredMs;
  }
  const profile: (number | null)[] = [];
  for (let s = 0; s < slots; s++)
    profile.push(rawCovered[s]! >= minCovered ? round1(sumIntegral[s]! / sumCovered[s]!) : null);

  // The profile a quarter would have had without its own day(s) in it (leave one out), so φ and
  // the errors are what a forecast meets on a day the profile has not seen.
  const without = (s: Sample, other?: Sample): number | null => {
    let integral = sumIntegral[s.slot]! - s.wIntegral;
    let covered = sumCovered[s.slot]! - s.wCovered;
    // Whether anything is left is decided on whole milliseconds: the weighted sums minus their own
    // parts leave rounding dust (1e-10) where nothing is left, and dust over dust is any number.
    let left = rawCovered[s.slot]! - s.coveredMs;
    if (other && other.slot === s.slot) {
      integral -= other.wIntegral;
      covered -= other.wCovered;
      left -= other.coveredMs;
    }
    return profile[s.slot] === null || left <= 0 ? null : integral / covered;
  };

  const phi: number[] = [];
  const low: number[] = [];
  const high: number[] = [];
  const persistenceLow: number[] = [];
  const persistenceHigh: number[] = [];
  for (const h of MODEL_HORIZONS) {
    const pairs: [number, number, number][] = []; // anomaly now, anomaly at target, profile at target
    const persistenceErrors: number[] = [];
    let num = 0;
    let den = 0;
    for (const now of usable) {
      const s0 = byStart.get(now.start)!;
      const s1 = byStart.get(now.start + h * 60_000);
      if (!s1) continue;
      persistenceErrors.push(s1.mean - s0.mean);
      const p0 = without(s0, s1);
      const p1 = without(s1, s0);
      if (p0 === null || p1 === null) continue;
      const a0 = s0.mean - p0;
      const a1 = s1.mean - p1;
      pairs.push([a0, a1, p1]);
      num += a0 * a1 * s0.weight;
      den += a0 * a0 * s0.weight;
    }
    const f = den > 0 ? round3(Math.min(1, Math.max(0, num / den))) : 0;
    const errors = pairs.map(([a0, a1]) => a1 - f * a0).sort((a, b) => a - b);
    persistenceErrors.sort((a, b) => a - b);
    phi.push(f);
    low.push(round1(nearestRank(errors, LOW_QUANTILE)));
    high.push(round1(nearestRank(errors, HIGH_QUANTILE)));
    persistenceLow.push(round1(nearestRank(persistenceErrors, LOW_QUANTILE)));
    persistenceHigh.push(round1(nearestRank(persistenceErrors, HIGH_QUANTILE)));
  }
  return {
    version: 1,
    timeZone: options.timeZone,
    fittedAt: options.fittedAt,
    dayTypes,
    historyDays: days.size,
    profile,
    horizons: [...MODEL_HORIZONS],
    phi,
    low,
    high,
    persistenceLow,
    persistenceHigh,
  };
}
