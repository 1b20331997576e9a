// Observations: sensors report occupancy of a lot (applied exactly once); staff read its history.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Observation } from '../../domain/observation';
import { listHistory } from '../../use-cases/history';
import { ingestObservations } from '../../use-cases/ingest';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { json, problem, route } from '../route';
import {
  HistoryQuerySchema,
  HistoryResponseSchema,
  IngestResponseSchema,
  LotIdParams,
  ObservationBatchSchema,
} from '../schemas';

export const observationRoutes = {
  postObservations: route({
    method: 'post',
    path: '/v1/lots/{id}/observations',
    operationId: 'postObservations',
    tags: ['sensors'],
    access: 'lot-writer',
    summary: 'Report 1–100 observations for a lot',
    description:
      'Each observation is an absolute count (`occupied`), gate counts (`entries`/`exits` since the previous ' +
      'report) or one bay (`spaceId` + `state`). The same `eventId` is applied once; the same id with a ' +
      'different body is a 409 and nothing in the batch is applied. State follows observation time, not ' +
      'arrival order. `observedAt` more than 5 minutes in the future is a 400. A sensor key writes only ' +
      'the lots it lists, as they were when the key was made: after a lot is deleted and created again ' +
      'under the same id, the old key gets a 403. History is kept for HISTORY_RETENTION_DAYS from arrival, ' +
      'and a resend is recognised as a duplicate for as long.',
    request: {
      params: LotIdParams,
      body: { content: { 'application/json': { schema: ObservationBatchSchema } }, required: true },
    },
    responses: {
      200: json(IngestResponseSchema, 'what happened to each observation'),
      400: problem('invalid batch: nothing applied'),
      404: problem('no such lot (or the lot this key was made for was deleted)'),
      409: problem('an event id was seen with another body: nothing applied'),
      415: problem('not JSON'),
    },
  }),
  listObservations: route({
    method: 'get',
    path: '/v1/lots/{id}/observations',
    operationId: 'listObservations',
    tags: ['staff'],
    access: 'staff',
    summary: "A lot's history in observation-time order",
    description:
      '`from`/`to` default to the last 24 hours, `to` exclusive, at most 31 days; pages of 1000. ' +
      '`nextCursor` continues the same query: pass it as `cursor`, with the same `from`/`to` or none (the ' +
      "cursor's range is used). A cursor is opaque and bound to the lot (this incarnation of its id) and to " +
      'the range it was issued for; any other cursor, or one with another `from`/`to`, is a 400 naming ' +
      '`cursor`.',
    request: { params: LotIdParams, query: HistoryQuerySchema },
    responses: {
      200: json(HistoryResponseSchema, 'history'),
      400: problem('invalid query or cursor'),
      404: problem('no such lot'),
    },
  }),
} as const;

export function observationsResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(observationRoutes.postObservations, async (c) => {
    const batch = c.req.valid('json').observations.map(toObservation);
    const report = await ingestObservations(deps, c.req.valid('param').id, batch, c.get('apiKey'));
    deps.metrics.count('ObservationsApplied', report.applied);
    deps.metrics.count('ObservationsDuplicate', report.duplicates);
    deps.metrics.count('ObservationsStale', report.stale);
    return c.json(report, 200);
  });

  app.openapi(observationRoutes.listObservations, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await listHistory(deps, id, c.req.valid('query')), 200);
  });

  return app;
}

type ObservationInput = {
  eventId: string;
  observedAt: string;
  occupied?: number | undefined;
  entries?: number | undefined;
  exits?: number | undefined;
  spaceId?: string | undefined;
  state?: 'occupied' | 'vacant' | undefined;
};

function toObservation(o: ObservationInput): Observation {
  const base = { eventId: o.eventId, observedAt: Date.parse(o.observedAt) };
  if (o.occupied !== undefined) return { ...base, kind: 'count', occupied: o.occupied };
  if (o.entries !== undefined) return { ...base, kind: 'gate', entries: o.entries, exits: o.exits ?? 0 };
  return { ...base, kind: 'bay', spaceId: o.spaceId!, state: o.state! };
}
