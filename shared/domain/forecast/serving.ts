// How the service serves forecasts (README "Forecasts"): which model answers for an instant, what a
// request may ask, and when an asOf counts as the past. Pure constants and rules, shared by the use
// case and the API schemas.
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Days of history a model learns from: four of each weekday; older weeks weigh 1/16 or less anyway. */
export const FORECAST_TRAINING_DAYS = 28;

/** What `horizons` may hold (README "Limits"). */
export const FORECAST_HORIZONS = {
  minMinutes: 5,
  maxMinutes: 1440,
  maxCount: 12,
  default: [15, 30, 60, 120, 240] as readonly number[],
} as const;

/**
 * An asOf earlier than now by more than this is a look into the past, which needs a staff key: it
 * can cost a fit on demand. Five minutes leaves room for a client's clock and for a page that sends
 * the instant it loaded.
 */
export const PAST_AS_OF_TOLERANCE_MS = 5 * MINUTE_MS;

/** How far ahead nearby's arriveAt may be. */
export const MAX_ARRIVE_AHEAD_MS = 1440 * MINUTE_MS;

/** F for an instant: the start of its UTC day, when the model a forecast then uses was fitted. */
export const fitInstantFor = (asOf: number) => Math.floor(asOf / DAY_MS) * DAY_MS;

/** The first instant a model fitted at `fittedAt` learns from. */
export const trainingStart = (fittedAt: number) => fittedAt - FORECAST_TRAINING_DAYS * DAY_MS;

export const isPastAsOf = (asOf: number, now: number) => asOf < now - PAST_AS_OF_TOLERANCE_MS;
