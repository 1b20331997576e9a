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
  offStreetParkingKeyValues,
  offStreetParkingNormalized,
  PARKING_CONTEXT,
} from '../../domain/formats/ngsi-ld';
import type { LotView } from '../../domain/lot';
import { InvalidInputError, NotFoundError } from '../../use-cases/errors';
import { EXPORT_MAX_LOTS } from '../../use-cases/export-lots';
import { lotsInPolygon } from '../../use-cases/find-in-polygon';
import { findNearby } from '../../use-cases/find-nearby';
import { getLot } from '../../use-cases/manage-lots';
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
    summary: 'One lot as an NGSI-LD OffStreetParking entity',
    description:
      '`urn:ngsi-ld:OffStreetParking:<lot id>`. Normalized by default (counts carry `observedAt`); ' +
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
    summary: 'Lots near a point or inside a polygon, as NGSI-LD OffStreetParking entities',
    description:
      '`georel=near;maxDistance==<m>` (1..50000) with `geometry=Point&coordinates=[lon,lat]` answers the lots ' +
      'that `GET /v1/lots/nearby?minFree=0&includeStale=true` finds in that circle (open, observed, fresh or ' +
      'stale), nearest first. `georel=within` with `geometry=Polygon&coordinates=[[[lon,lat],…]]` (one closed ' +
      `ring of at most ${MAX_POLYGON_VERTICES} vertices, corners of its box within 50 km of the box centre, a ` +
      'ring wider than 180° crosses the antimeridian) answers every lot inside it, any status, by id; a point on ' +
      `an edge may fall either side; more than ${EXPORT_MAX_LOTS} lots in its box is a 400. \`limit\` 1..` +
      `${NGSI_LD_MAX_LIMIT} (default ${DEFAULT_LIMIT}) and \`offset\` page the answer, offset + limit ≤ ` +
      `${NGSI_LD_MAX_LIMIT}. A query without georel is a 400 (it would list every lot).`,
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
    const lotId = lotOfEntity(entityId);
    let lot: LotView;
    try {
      lot = await getLot(deps, lotId);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError(`no entity ${entityId}`);
      throw error;
    }
    return answer(c, toEntity(lot, c.req.valid('query').options));
  });

  app.openapi(ngsiLdRoutes.queryEntities, async (c) => {
    const q = c.req.valid('query');
    const limit = q.limit ?? DEFAULT_LIMIT;
    const offset = q.offset ?? 0;
    if (offset + limit > NGSI_LD_MAX_LIMIT)
      throw badQuery('offset', `offset + limit must be at most ${NGSI_LD_MAX_LIMIT}`);
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
