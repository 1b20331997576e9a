// A lot's forecast (README "Forecasts"): public for now, staff's for a past asOf. Route contract
// and handler side by side.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ForecastPoint } from '../../domain/forecast';
import { FORECAST_TRAINING_DAYS, PAST_AS_OF_TOLERANCE_MS } from '../../domain/forecast/serving';
import { FORECAST_RAW_OBSERVATIONS, forecastLot } from '../../use-cases/forecast';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { json, problem, RETRY_AFTER, route } from '../route';
import { ForecastQuerySchema, ForecastResponseSchema, LotIdParams } from '../schemas';

export const forecastRoutes = {
  forecast: route({
    method: 'get',
    path: '/v1/lots/{id}/forecast',
    operationId: 'getLotForecast',
    tags: ['drivers'],
    access: 'public-staff-for-past',
    summary: 'Predicted occupancy of one lot at each horizon, with its central 80% interval',
    description:
      'The forecast as made at `asOf` (default now) from observations observed at or before it only: ' +
      `the lot's model fitted at the start of asOf's UTC day over the ${FORECAST_TRAINING_DAYS} days before ` +
      "(a profile by local day type and quarter hour, in the lot's time zone) plus the last observation at " +
      'or before asOf, blended by horizon; persistence (the last value) while the lot has under 7 days of ' +
      'history. Deterministic: the same question with the same data gives the same answer. Figures are ' +
      'integers in [0, capacity], free = capacity − occupied, low ≤ occupied ≤ high; a lot with no ' +
      'observation at or before asOf answers points with null figures. asOf later than now is a 400; ' +
      `earlier than now by more than ${PAST_AS_OF_TOLERANCE_MS / 60_000} minutes needs a staff key (401 ` +
      "without one, 403 for another key). A past asOf, or one before the scheduled job has fitted the day's " +
      `model, fits the model on demand from at most ${FORECAST_RAW_OBSERVATIONS} raw observations: more is a ` +
      '400 naming asOf for a past asOf, a 503 with Retry-After otherwise (the job fits it within minutes).',
    request: { params: LotIdParams, query: ForecastQuerySchema },
    responses: {
      200: json(ForecastResponseSchema, 'the forecast'),
      400: problem('invalid id, horizons or asOf (later than now; too much history for a past asOf)'),
      404: problem('no such lot'),
      503: problem(
        "the store is unavailable, or the lot's model or rollups are being brought up to date; retry after " +
          'Retry-After seconds',
        RETRY_AFTER,
      ),
    },
  }),
} as const;

const iso = (ms: number) => new Date(ms).toISOString();

export const pointOut = (p: ForecastPoint) => ({ ...p, at: iso(p.at) });

export function forecastsResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(forecastRoutes.forecast, async (c) => {
    const q = c.req.valid('query');
    const result = await forecastLot(deps, {
      lotId: c.req.valid('param').id,
      horizons: q.horizons,
      asOf: q.asOf === undefined ? undefined : Date.parse(q.asOf),
    });
    c.header('cache-control', 'no-store');
    return c.json(
      {
        lotId: result.lotId,
        asOf: iso(result.asOf),
        basis: {
          lastObservedAt: result.basis.lastObservedAt === null ? null : iso(result.basis.lastObservedAt),
          historyDays: result.basis.historyDays,
        },
        points: result.points.map(pointOut),
      },
      200,
    );
  });
  return app;
}
