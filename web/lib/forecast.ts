// The pages' forecast figures (README "Forecasts"): when a driver arrives, what the nearby search
// is asked, how a lot's prediction reads, and which horizons the dashboard's 24-hour view asks for.
// Pure: no DOM, so that the words and ranges can be unit-tested.
import type { ForecastPoint, Prediction } from './api-types';
import { fmtInt, fmtTime } from './format';
import { t } from './i18n';

/** The driver page's "arriving in …" choices, in minutes (0: now, no forecast asked). */
export const ARRIVAL_MINUTES = [0, 15, 30, 60, 120] as const;

/**
 * The dashboard's 24-hour forecast: the route answers at most 12 horizons, so they are denser in
 * the first hours (where the lot's present state still moves the forecast and staff act on it)
 * and every 2–4 hours later, where it is the lot's usual day; drawn on a time axis.
 */
export const DAY_HORIZONS = [30, 60, 120, 180, 240, 360, 480, 600, 720, 960, 1200, 1440] as const;

/** `arriveAt` for a driver arriving `minutes` from `nowMs`; null for "now" (no forecast wanted). */
export function arriveAtFor(nowMs: number, minutes: number): string | null {
  return minutes > 0 ? new Date(nowMs + minutes * 60_000).toISOString() : null;
}

/** The predicted free spaces' range: the occupied range's ends the other way round. */
export function freeRange(
  p: Pick<Prediction, 'low' | 'high'>,
  capacity: number,
): { low: number; high: number } {
  return { low: Math.max(0, capacity - p.high), high: Math.max(0, capacity - p.low) };
}

/** "about 42 free at 14:30 (35–50)"; without the range when it is a single figure. */
export function predictionText(p: Prediction, capacity: number, timeZone?: string): string {
  const range = freeRange(p, capacity);
  const words = {
    free: fmtInt(p.free),
    time: fmtTime(p.at, timeZone),
    low: fmtInt(range.low),
    high: fmtInt(range.high),
  };
  return t(range.low === range.high ? 'list.predictedExact' : 'list.predicted', words);
}

/** A forecast point with every figure, as the chart draws it (null figures: nothing to predict from). */
export interface FullPoint {
  at: string;
  occupied: number;
  free: number;
  low: number;
  high: number;
}

export function fullPoints(points: readonly ForecastPoint[]): FullPoint[] {
  const out: FullPoint[] = [];
  for (const p of points) {
    if (p.occupied === null || p.free === null || p.low === null || p.high === null) continue;
    out.push({ at: p.at, occupied: p.occupied, free: p.free, low: p.low, high: p.high });
  }
  return out;
}
