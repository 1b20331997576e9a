// Open data exports of the lots (README "Open formats"): DATEX II v3 Parking Publication Light,
// for national access points. Public, like the driver routes.
import { OpenAPIHono } from '@hono/zod-openapi';
import { type PublicationHeader, parkingPublicationLight } from '../../domain/formats/datex2-light';
import { EXPORT_MAX_LOTS, lotsForExport } from '../../use-cases/export-lots';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { Datex2LightSchema, ExportQuerySchema } from '../format-schemas';
import { json, problem, route } from '../route';

/**
 * Who the publication says made it. ZZ is the ISO 3166 user-assigned "unknown" code: a
 * deployment's own country is not configurable yet (README "Open formats").
 */
const PUBLISHER: Omit<PublicationHeader, 'publicationTime'> = {
  lang: 'en',
  publicationCreator: { country: 'ZZ', nationalIdentifier: 'parking-finder' },
  name: 'Parking finder lots',
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
} as const;

export function exportsResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(exportRoutes.datex2Light, async (c) => {
    const q = c.req.valid('query');
    const lots = await lotsForExport(deps, { zone: q.zone, bbox: q.bbox });
    const publication = parkingPublicationLight(lots, {
      ...PUBLISHER,
      publicationTime: new Date(deps.now()).toISOString(),
    });
    c.header('cache-control', 'no-store');
    return c.json(publication, 200);
  });

  return app;
}
