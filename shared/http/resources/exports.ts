// Open data exports of the lots (README "Open formats"): DATEX II v3 Parking Publication Light,
// for national access points. Public, like the driver routes.
import { OpenAPIHono } from '@hono/zod-openapi';
import { parkingStatusPublication, parkingTablePublication } from '../../domain/formats/datex2-full';
import { type PublicationHeader, parkingPublicationLight } from '../../domain/formats/datex2-light';
import { NotFoundError } from '../../use-cases/errors';
import { EXPORT_MAX_LOTS, lotsForExport } from '../../use-cases/export-lots';
import type { Bbox, Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { Datex2FullSchema, Datex2LightSchema, ExportQuerySchema } from '../format-schemas';
import { json, problem, route } from '../route';

/**
 * Who the publication says made it when the deployment does not say (PUBLISHER_COUNTRY and
 * PUBLISHER_ID, README "Configuration"): ZZ is the ISO 3166 user-assigned "unknown" code.
 */
export const DEFAULT_PUBLISHER: PublicationHeader['publicationCreator'] = {
  country: 'ZZ',
  nationalIdentifier: 'parking-finder',
};

export const exportRoutes = {
  datex2Light: route({
    method: 'get',
    path: '/v1/exports/datex2-light',
    operationId: 'exportDatex2Light',
    tags: ['open data'],
    access: 'public',
    summary: 'The lots as a DATEX II v3 Parking Publication Light payload',
    description:
      'One `parkingSite` per lot (all lots, or those of `zone` and/or inside `bbox`), ordered by id: ' +
      "`numberOfSpaces` = capacity, `availableSpaces` = drivers' free spaces only while the data is fresh " +
      'and the lot open, `lastUpdate` = the time of the last observation (absent if never observed), ' +
      '`isOpenNow` false and `temporaryClosed` true for a lot closed by staff. Valid against the official ' +
      `schema. At most ${EXPORT_MAX_LOTS} lots: a selection with more is a 400 naming zone or bbox.`,
    request: { query: ExportQuerySchema },
    responses: {
      200: json(Datex2LightSchema, 'the publication'),
      400: problem(`invalid query, a box too large, or more than ${EXPORT_MAX_LOTS} lots`),
    },
  }),
  datex2Table: route({
    method: 'get',
    path: '/v1/exports/datex2/parking-table',
    operationId: 'exportDatex2ParkingTable',
    tags: ['open data'],
    access: 'public',
    summary: 'The lots as a DATEX II v3.7 ParkingTablePublication (static)',
    description:
      'One `prkPlace` per lot (the same selection as the Light export): name, coordinates, `supply.quantity` = ' +
      'capacity. Valid against the official DATEX II 3.7 `DATEXII_3_D2Payload.json`. Places are always version 1 ' +
      '(lot definitions carry no version a consumer could follow yet). The schema needs at least one Place, so ' +
      'a selection without lots is a 404.',
    request: { query: ExportQuerySchema },
    responses: {
      200: json(Datex2FullSchema, 'the publication'),
      400: problem(`invalid query, a box too large, or more than ${EXPORT_MAX_LOTS} lots`),
      404: problem('no lot in the selection'),
    },
  }),
  datex2Status: route({
    method: 'get',
    path: '/v1/exports/datex2/parking-status',
    operationId: 'exportDatex2ParkingStatus',
    tags: ['open data'],
    access: 'public',
    summary: 'The lots as a DATEX II v3.7 ParkingStatusPublication (dynamic)',
    description:
      'One `prkPlaceStatus` per lot, referring to its Place in the table: `lastUpdated` = the observation time, ' +
      '`openingStatus` open or temporarilyClosed (closed by staff), `status` spacesAvailable/full while fresh and ' +
      'unknown when stale or never observed, `occupancy` (vacant and occupied spaces, percentage) only while ' +
      'fresh. Valid against the official DATEX II 3.7 `DATEXII_3_D2Payload.json`; a selection without lots is a 404.',
    request: { query: ExportQuerySchema },
    responses: {
      200: json(Datex2FullSchema, 'the publication'),
      400: problem(`invalid query, a box too large, or more than ${EXPORT_MAX_LOTS} lots`),
      404: problem('no lot in the selection'),
    },
  }),
} as const;

export function exportsResource(
  deps: Dependencies,
  publicationCreator: PublicationHeader['publicationCreator'] = DEFAULT_PUBLISHER,
) {
  const app = new OpenAPIHono<AuthEnv>();
  const header = (): PublicationHeader => ({
    lang: 'en',
    publicationCreator,
    name: 'Parking finder lots',
    publicationTime: new Date(deps.now()).toISOString(),
  });

  app.openapi(exportRoutes.datex2Light, async (c) => {
    const q = c.req.valid('query');
    const lots = await lotsForExport(deps, { zone: q.zone, bbox: q.bbox });
    const publication = parkingPublicationLight(lots, header());
    c.header('cache-control', 'no-store');
    return c.json(publication, 200);
  });

  const someLots = async (q: { zone?: string | undefined; bbox?: Bbox | undefined }) => {
    const lots = await lotsForExport(deps, q);
    if (lots.length === 0)
      throw new NotFoundError('no lot in the selection: a DATEX II publication needs one');
    return lots;
  };

  app.openapi(exportRoutes.datex2Table, async (c) => {
    const publication = parkingTablePublication(await someLots(c.req.valid('query')), header());
    c.header('cache-control', 'no-store');
    return c.json(publication, 200);
  });

  app.openapi(exportRoutes.datex2Status, async (c) => {
    const publication = parkingStatusPublication(await someLots(c.req.valid('query')), header());
    c.header('cache-control', 'no-store');
    return c.json(publication, 200);
  });

  return app;
}
