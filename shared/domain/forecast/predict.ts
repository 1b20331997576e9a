// A forecast from a stored model and the lot's last observation: what the forecast route calls.
// occupied(at) = profile(at) + φ(h)·(last − profile(last observed)), h = at − last observed, so a
// stale last value (a car park that stopped reporting overnight) counts as an old one; where the
// profile cannot speak (too little history, a slot never covered) it is the last value.
import { type ForecastModel, MODEL_HORIZONS } from './model';
import { localSlot } from './slots';

/** Fewer local days of history than this and the forecast is persistence. */
export const MIN_HISTORY_DAYS = 7;

export interface LastObservation {
  at: number;
  /** Raw occupancy as the step function holds it (may exceed capacity). */
  occupied: number;
}

export interface ForecastPoint {
  horizonMinutes: number;
  at: number;
  occupied: number | null;
  free: number | null;
  low: number | null;
  high: number | null;
}

export interface ForecastInput {
  /** null: no model stored yet (a new lot), which forecasts by persistence. */
  model: ForecastModel | null;
  /** The last step at or before asOf; null when there is none. */
  last: LastObservation | null;
  capacity: number;
  asOf: number;
  horizons: readonly number[];
}

export type ForecastMethod = 'profile' | 'persistence' | 'none';

export interface ForecastResult {
  points: ForecastPoint[];
  method: ForecastMethod[];
}

/** Linear interpolation of `values` given at MODEL_HORIZONS, with `atZero` at 0 and flat beyond. */
function along(values: readonly number[], atZero: number, minutes: number): number {
  const hs = MODEL_HORIZONS;
  if (minutes <= 0) return atZero;
  if (minutes >= hs[hs.length - 1]!) return values[hs.length - 1]!;
  let prevH = 0;
  let prevV = atZero;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    const v = values[i]!;
    if (minutes <= h) return prevV + ((v - prevV) * (minutes - prevH)) / (h - prevH);
    prevH = h;
    prevV = v;
  }
  return prevV;
}

const QUARTER_MS = 15 * 60_000;

/**
 * The profile at instant t: a slot's mean is the occupancy at its middle, so between two middles it
 * is read on the straight line between them (the neighbour found by its own local time, so across
 * midnight and clock changes too); null when t's own slot has no figure.
 */
export function profileAt(model: ForecastModel, t: number): number | null {
  const own = model.profile[localSlot(t, model.timeZone, model.dayTypes).slot];
  if (own == null) return null;
  const intoQuarter = (((t % QUARTER_MS) + QUARTER_MS) % QUARTER_MS) / QUARTER_MS - 0.5;
  const neighbourAt = intoQuarter < 0 ? t - QUARTER_MS : t + QUARTER_MS;
  const neighbour = model.profile[localSlot(neighbourAt, model.timeZone, model.dayTypes).slot];
  if (neighbour == null) return own;
  return own + (neighbour - own) * Math.abs(intoQuarter);
}

const clamp = (x: number, capacity: number) => Math.min(capacity, Math.max(0, x));

/** Integers in [0, capacity] with low ≤ occupied ≤ high. */
function point(horizonMinutes: number, at: number, centre: number, lo: number, hi: number, capacity: number) {
  const occupied = clamp(Math.round(centre), capacity);
  const low = Math.min(occupied, clamp(Math.floor(centre + lo), capacity));
  const high = Math.max(occupied, clamp(Math.ceil(centre + hi), capacity));
  return { horizonMinutes, at, occupied, free: capacity - occupied, low, high };
}

export function forecastFromModel(input: ForecastInput): ForecastResult {
  const { model, last, capacity, asOf } = input;
  const points: ForecastPoint[] = [];
  const method: ForecastMethod[] = [];
  for (const horizonMinutes of input.horizons) {
    const at = asOf + horizonMinutes * 60_000;
    if (last === null) {
      points.push({ horizonMinutes, at, occupied: null, free: null, low: null, high: null });
      method.push('none');
      continue;
    }
    const age = (at - last.at) / 60_000;
    const usable = model !== null && model.historyDays >= MIN_HISTORY_DAYS;
    const pNow = usable ? profileAt(model, last.at) : null;
    const pAt = usable ? profileAt(model, at) : null;
    if (usable && pNow != null && pAt != null) {
      const centre = pAt + along(model.phi, 1, age) * (last.occupied - pNow);
      points.push(
        point(horizonMinutes, at, centre, along(model.low, 0, age), along(model.high, 0, age), capacity),
      );
      method.push('profile');
    } else {
      const lo = model ? along(model.persistenceLow, 0, age) : 0;
      const hi = model ? along(model.persistenceHigh, 0, age) : 0;
      points.push(point(horizonMinutes, at, last.occupied, lo, hi, capacity));
      method.push('persistence');
    }
  }
  return { points, method };
}
