// The NGSI-LD temporal API over a lot's history (README "Open formats"), for staff: each
// observation once, as an attribute instance with its observedAt, in time order.
import { OpenAPIHono } from '@hono/zod-openapi';
import { offStreetParkingId, spotOfEntity } from '../../domain/formats/ngsi-ld';
import { temporalEntity } from '../../domain/formats/ngsi-ld-temporal';
import { TIME_DOMAIN } from '../../domain/time-domain';
import { InvalidInputError, NotFoundError } from '../../use-cases/errors';
import { spotsOfLot } from '../../use-cases/parking-spots';
import type { Dependencies } from '../../use-cases/ports';
import { TEMPORAL_MAX_OBSERVATIONS, wholeHistory } from '../../use-cases/temporal';
import type { AuthEnv } from '../auth';
import { EntityIdParams, NgsiLdTemporalEntitySchema, TemporalQuerySchema } from '../format-schemas';
import { problem, route } from '../route';
import { answer, entityAnswer, lotOfEntity } from './ngsi-ld';

const DAY_MS = 86_400_000;
/** The history's own bound on one range (README "Limits"). */
const MAX_RANGE_MS = 31 * DAY_MS;

export const ngsiLdTemporalRoutes = {
  getTemporalEntity: route({
    method: 'get',
    path: '/ngsi-ld/v1/temporal/entities/{entityId}',
    operationId: 'getNgsiLdTemporalEntity',
    tags: ['open data', 'staff'],
    access: 'staff',
    summary: "A lot's observation history as an NGSI-LD temporal entity",
    description:
      'Each observation once, in observation-time order, as an instance of the attribute it reports: counts ' +
      '`occupiedSpotNumber` (as reported, raw), gate reports `vehicleEntranceCount` and `vehicleExitCount`, ' +
      "each with `observedAt` and an `instanceId` naming its event. A bay's reports are `status` instances " +
      '(occupied/free) of its ParkingSpot entity `urn:ngsi-ld:ParkingSpot:<lot id>:<space id>`, not of the lot. ' +
      '`timerel=between` takes `timeAt` ≤ t < `endTimeAt`, `before` t < `timeAt` (from 31 days earlier), ' +
      '`after` t > `timeAt` (up to 31 days later); without `timerel`, the last 24 hours. Ranges up to 31 days; ' +
      `at most ${TEMPORAL_MAX_OBSERVATIONS} observations, else a 400 saying to narrow the range. \`attrs\` ` +
      'picks attributes, `lastN` the last N instances of each, `options=temporalValues` the simplified form.',
    request: { params: EntityIdParams, query: TemporalQuerySchema },
    responses: {
      200: entityAnswer(NgsiLdTemporalEntitySchema, 'the temporal entity'),
      400: problem('invalid query or range (BadRequestData)'),
      404: problem('no such entity (ResourceNotFound)'),
    },
  }),
} as const;

const iso = (ms: number) => new Date(ms).toISOString();

type Range = { from?: string; to?: string };

/** NGSI-LD's time query as the history's [from, to), and which parameter names each end. */
function rangeOf(q: {
  timerel?: string | undefined;
  timeAt?: string | undefined;
  endTimeAt?: string | undefined;
}): {
  range: Range;
  names: { from: string; to: string };
} {
  const need = (path: string, message: string) => new InvalidInputError('invalid query', [{ path, message }]);
  if (q.timerel === undefined) {
    if (q.timeAt !== undefined || q.endTimeAt !== undefined) throw need('timerel', 'is required with timeAt');
    return { range: {}, names: { from: 'timeAt', to: 'timeAt' } };
  }
  if (q.timeAt === undefined) throw need('timeAt', `is required with timerel=${q.timerel}`);
  const at = Date.parse(q.timeAt);
  if (q.timerel === 'between') {
    if (q.endTimeAt === undefined) throw need('endTimeAt', 'is required with timerel=between');
    return { range: { from: q.timeAt, to: q.endTimeAt }, names: { from: 'timeAt', to: 'endTimeAt' } };
  }
  if (q.endTimeAt !== undefined) throw need('endTimeAt', `goes only with timerel=between`);
  // The history's bounds: instants in the time domain (the schema checked timeAt is in it).
  if (q.timerel === 'before') {
    return {
      range: { from: iso(Math.max(TIME_DOMAIN.start, at - MAX_RANGE_MS)), to: q.timeAt },
      names: { from: 'timeAt', to: 'timeAt' },
    };
  }
  // After is exclusive, the history's `from` inclusive: history times are whole milliseconds.
  return {
    range: { from: iso(at + 1), to: iso(Math.min(TIME_DOMAIN.end - 1, at + 1 + MAX_RANGE_MS)) },
    names: { from: 'timeAt', to: 'timeAt' },
  };
}

export function ngsiLdTemporalResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(ngsiLdTemporalRoutes.getTemporalEntity, async (c) => {
    const { entityId } = c.req.valid('param');
    const q = c.req.valid('query');
    const spot = spotOfEntity(entityId);
    const lotId = lotOfEntity(spot === null ? entityId : offStreetParkingId(spot.lotId));
    const { range, names } = rangeOf(q);
    // A bay never reported is no entity (its lot's history would merely hold no instance of it).
    if (spot !== null) {
      const found = await spotsOfLot(deps, lotId, { limit: 1, spaceId: spot.spaceId }).catch((error) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      if (found === null || found.spots.length === 0) throw new NotFoundError(`no entity ${entityId}`);
    }
    let history: Awaited<ReturnType<typeof wholeHistory>>;
    try {
      history = await wholeHistory(deps, lotId, range);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError(`no entity ${entityId}`);
      // The history names its own parameters (from, to); this API has others.
      if (error instanceof InvalidInputError) {
        throw new InvalidInputError(
          error.message,
          error.errors.map((e) => ({
            ...e,
            path: e.path === 'from' ? names.from : e.path === 'to' ? names.to : e.path,
          })),
        );
      }
      throw error;
    }
    return answer(
      c,
      temporalEntity(
        lotId,
        history,
        { attrs: q.attrs, lastN: q.lastN, temporalValues: q.options === 'temporalValues' },
        spot?.spaceId,
      ),
    );
  });

  return app;
}
