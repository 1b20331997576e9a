// The FIWARE NGSI-LD API over the lots (README "Open formats"): each lot a Smart Data Models
// OffStreetParking entity, by id or by a geo query. Public, like the driver routes. The @context
// travels in the body for application/ld+json and as a Link header for application/json; errors
// carry NGSI-LD's error types (problem.ts).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type Entity,
  type FormatLot,
  lotIdOfEntity,
  NGSI_LD_CONTEXT,
  offStreetParkingId,
  offStreetParkingKeyValues,
  offStreetParkingNormalized,
  PARKING_CONTEXT,
  parkingSpotKeyValues,
  parkingSpotNormalized,
  type SpotView,
  spotOfEntity,
} from '../../domain/formats/ngsi-ld';
import type { LotView } from '../../domain/lot';
import { InvalidInputError, NotFoundError } from '../../use-cases/errors';
import { EXPORT_MAX_LOTS } from '../../use-cases/export-lots';
import { lotsInPolygon } from '../../use-cases/find-in-polygon';
import { findNearby } from '../../use-cases/find-nearby';
import { getLot } from '../../use-cases/manage-lots';
import { spotsOfLot } from '../../use-cases/parking-spots';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import {
  EntitiesQuerySchema,
  EntityIdParams,
  EntityQuerySchema,
  MAX_POLYGON_VERTICES,
  NGSI_LD_MAX_LIMIT,
  NgsiLdEntitySchema,
  readCoordinates,
} from '../format-schemas';
import { problem, route, withHeaders } from '../route';
import { ID_PATTERN } from '../schemas';

const MAX_DISTANCE_METRES = 50_000;
const DEFAULT_LIMIT = 20;

const LINK = `<${PARKING_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
const LINK_HEADER = withHeaders({
  Link: z
    .string()
    .max(200)
    .optional()
    .openapi({ pattern: '^<https://', description: 'the JSON-LD @context, with application/json' }),
});

/** A 200 of the NGSI-LD API: JSON with a Link header, or JSON-LD. */
export const entityAnswer = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema }, 'application/ld+json': { schema } },
  headers: LINK_HEADER,
  description,
});

export const ngsiLdRoutes = {
  getEntity: route({
    method: 'get',
    path: '/ngsi-ld/v1/entities/{entityId}',
    operationId: 'getNgsiLdEntity',
    tags: ['open data'],
    access: 'public',
    summary: 'One lot (OffStreetParking) or reported bay (ParkingSpot) as an NGSI-LD entity',
    description:
      '`urn:ngsi-ld:OffStreetParking:<lot id>` (a lot) or `urn:ngsi-ld:ParkingSpot:<lot id>:<space id>` (a bay ' +
      'a sensor reported: `status` occupied/free from its latest report with its `observedAt`, unknown once that ' +
      "is older than the lot's staleAfterSeconds, closed while the lot is; placed at its lot, `refParkingSite` " +
      'its lot). Normalized by default (counts carry `observedAt`); ' +
      "`options=keyValues` gives plain values. `availableSpotNumber` = drivers' free, `totalSpotNumber` = " +
      'capacity, `occupancy` 0–1; a stale lot keeps its last values with their own `observedAt` and ' +
      '`status` [open]; a lot never observed has no counts; a closed one has `status` [closed]. ' +
      '`Accept: application/ld+json` puts the `@context` in the body, otherwise it is a `Link` header. ' +
      'Errors carry NGSI-LD error types (`https://uri.etsi.org/ngsi-ld/errors/…`).',
    request: { params: EntityIdParams, query: EntityQuerySchema },
    responses: {
      200: entityAnswer(NgsiLdEntitySchema, 'the entity'),
      400: problem('invalid entity id or options (BadRequestData)'),
      404: problem('no such entity (ResourceNotFound)'),
    },
  }),
  queryEntities: route({
    method: 'get',
    path: '/ngsi-ld/v1/entities',
    operationId: 'queryNgsiLdEntities',
    tags: ['open data'],
    access: 'public',
    summary: 'Lots near a point or inside a polygon, or the bays of a lot, as NGSI-LD entities',
    description:
      '`georel=near;maxDistance==<m>` (1..50000) with `geometry=Point&coordinates=[lon,lat]` answers the lots ' +
      'that `GET /v1/lots/nearby?minFree=0&includeStale=true` finds in that circle (open, observed, fresh or ' +
      'stale), nearest first. `georel=within` with `geometry=Polygon&coordinates=[[[lon,lat],…]]` (one closed ' +
      `ring of at most ${MAX_POLYGON_VERTICES} vertices, corners of its box within 50 km of the box centre, a ` +
      'ring wider than 180° crosses the antimeridian) answers every lot inside it, any status, by id; a point on ' +
      `an edge may fall either side; more than ${EXPORT_MAX_LOTS} lots in its box is a 400. \`limit\` 1..` +
      `${NGSI_LD_MAX_LIMIT} (default ${DEFAULT_LIMIT}) and \`offset\` page the answer, offset + limit ≤ ` +
      `${NGSI_LD_MAX_LIMIT}. A query without georel is a 400 (it would list every lot). ` +
      '`type=ParkingSpot&q=refParkingSite=="urn:ngsi-ld:OffStreetParking:<lot id>"` answers that lot\'s reported ' +
      'bays by space id (none for an unknown lot).',
    request: { query: EntitiesQuerySchema },
    responses: {
      200: entityAnswer(z.array(NgsiLdEntitySchema).max(NGSI_LD_MAX_LIMIT), 'the entities'),
      400: problem('invalid query (BadRequestData)'),
    },
  }),
} as const;

type Form = 'keyValues' | 'normalized' | undefined;

function toEntity(lot: FormatLot, form: Form): Entity {
  return form === 'keyValues' ? offStreetParkingKeyValues(lot) : offStreetParkingNormalized(lot);
}

function toSpotEntity(lot: LotView, spot: SpotView, form: Form): Entity {
  return form === 'keyValues' ? parkingSpotKeyValues(lot, spot) : parkingSpotNormalized(lot, spot);
}

/** A lot that does not exist is an entity that does not exist, named as the client named it. */
async function named<T>(entityId: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`no entity ${entityId}`);
    throw error;
  }
}

function wantsLd(c: Context): boolean {
  return (c.req.header('accept') ?? '').toLowerCase().includes('application/ld+json');
}

/** The body with its @context where the client asked for JSON-LD, the Link header otherwise. */
export function answer(c: Context, body: Entity | Entity[]) {
  c.header('cache-control', 'no-store');
  if (wantsLd(c)) {
    const withContext = (e: Entity) => ({ ...e, '@context': [...NGSI_LD_CONTEXT] });
    const ld = Array.isArray(body) ? body.map(withContext) : withContext(body);
    return c.body(JSON.stringify(ld), 200, { 'content-type': 'application/ld+json' });
  }
  c.header('link', LINK);
  return c.json(body, 200);
}

/** The lot an entity id names: a 404 (ResourceNotFound) when it names none. */
export function lotOfEntity(entityId: string): string {
  const lotId = lotIdOfEntity(entityId);
  if (lotId === null || !ID_PATTERN.test(lotId)) throw new NotFoundError(`no entity ${entityId}`);
  return lotId;
}

const badQuery = (path: string, message: string) =>
  new InvalidInputError('invalid query', [{ path, message }]);

export function ngsiLdResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(ngsiLdRoutes.getEntity, async (c) => {
    const { entityId } = c.req.valid('param');
    const form = c.req.valid('query').options;
    const spot = spotOfEntity(entityId);
    if (spot !== null) {
      const { lot, spots } = await named(entityId, () =>
        spotsOfLot(deps, lotOfEntity(offStreetParkingId(spot.lotId)), { limit: 1, spaceId: spot.spaceId }),
      );
      if (spots.length === 0) throw new NotFoundError(`no entity ${entityId}`);
      return answer(c, toSpotEntity(lot, spots[0]!, form));
    }
    const lot = await named(entityId, () => getLot(deps, lotOfEntity(entityId)));
    return answer(c, toEntity(lot, form));
  });

  app.openapi(ngsiLdRoutes.queryEntities, async (c) => {
    const q = c.req.valid('query');
    const limit = q.limit ?? DEFAULT_LIMIT;
    const offset = q.offset ?? 0;
    if (offset + limit > NGSI_LD_MAX_LIMIT)
      throw badQuery('offset', `offset + limit must be at most ${NGSI_LD_MAX_LIMIT}`);
    if (q.type === 'ParkingSpot') {
      if (q.q === undefined)
        throw badQuery('q', 'type=ParkingSpot takes q=refParkingSite=="<lot entity id>"');
      if (q.georel !== undefined) throw badQuery('georel', 'bays are found by their lot, with q');
      // An unknown lot has no bays: an empty answer, as NGSI-LD answers a query that matches nothing.
      const found = await spotsOfLot(deps, q.q, { limit: offset + limit }).catch((error) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      const spots = found === null ? [] : found.spots.slice(offset, offset + limit);
      return answer(
        c,
        spots.map((s) => toSpotEntity(found!.lot, s, q.options)),
      );
    }
    if (q.q !== undefined) throw badQuery('q', 'goes only with type=ParkingSpot');
    if (q.georel === undefined)
      throw badQuery('georel', 'is required: a query without it would list every lot');
    if (q.geometry === undefined) throw badQuery('geometry', 'is required with georel');
    if (q.coordinates === undefined) throw badQuery('coordinates', 'is required with georel');
    const where = readCoordinates(q.geometry, q.coordinates);
    if (typeof where === 'string') throw badQuery('coordinates', where);
    let lots: LotView[];
    if (q.georel.rel === 'near') {
      if (!('point' in where)) throw badQuery('geometry', 'georel=near takes a Point');
      const { maxDistance } = q.georel;
      if (maxDistance < 1 || maxDistance > MAX_DISTANCE_METRES)
        throw badQuery('georel', `maxDistance must be 1..${MAX_DISTANCE_METRES}`);
      // The driver's nearby search with every observed open lot admitted, so both answer the same.
      const found = await findNearby(deps, {
        center: where.point,
        radius: maxDistance,
        limit: offset + limit,
        minFree: 0,
        features: [],
        includeStale: true,
      });
      lots = found.lots;
    } else {
      if (!('ring' in where)) throw badQuery('geometry', 'georel=within takes a Polygon');
      lots = await lotsInPolygon(deps, where.ring);
    }
    return answer(
      c,
      lots.slice(offset, offset + limit).map((lot) => toEntity(lot, q.options)),
    );
  });

  return app;
}
