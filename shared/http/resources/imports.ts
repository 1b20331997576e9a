// Imports: many lots at once from a GeoJSON FeatureCollection (ParkAPI city files) or a CSV.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { importLots, rowsFromCsv, rowsFromGeoJson } from '../../use-cases/import-lots';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { mediaTypeOf } from '../request-checks';
import { json, problem, route } from '../route';
import { FeatureCollectionInputSchema, ImportQuerySchema, ImportSummarySchema } from '../schemas';

export const importRoutes = {
  importLots: route({
    method: 'post',
    path: '/v1/lots:import',
    operationId: 'importLots',
    tags: ['staff'],
    access: 'staff',
    summary: 'Import lots from a GeoJSON FeatureCollection (ParkAPI city files) or CSV',
    description:
      'Every row is checked before anything is written; a row that cannot be a lot is reported in `rejected` ' +
      'with its row, the field at fault and a reason, and skipped; nothing is written for a body that is not ' +
      'a FeatureCollection or a CSV with the needed columns (400). Rows are taken strictly, never repaired: ' +
      'numbers are JSON numbers in GeoJSON (not "12", true or arrays) and plain decimals in CSV (not 0x10, ' +
      '1e3 or +1); a point is exactly [lon, lat] or [lon, lat, altitude]; a given `id` must match the id ' +
      'pattern (a row with an invalid one is rejected; only rows without an id get one slugged from the name, ' +
      "with `idPrefix`); names follow the rules of `LotInput.name`; `type` is ours or ParkAPI's " +
      '(Parkhaus, Tiefgarage, Parkplatz, …; absent: surface), another is rejected; openingHours up to 255 ' +
      'characters. Also rejected: no geometry, latitude equal to longitude, 0,0, no or zero capacity, unknown ' +
      'time zone, duplicate id. Existing lots are updated and keep their occupancy and history. CSV (RFC 4180, ' +
      'UTF-8, a byte-order mark allowed; every record as many cells as the header): name, lat, lon, capacity ' +
      '(or total), and optionally id, type, features (;-separated), zone, timeZone, staleAfterSeconds, ' +
      'openingHours. The media type is matched case-insensitively (`TEXT/CSV` is CSV). At most 5000 rows.',
    request: {
      query: ImportQuerySchema,
      body: {
        content: {
          'application/geo+json': { schema: FeatureCollectionInputSchema },
          'application/json': { schema: FeatureCollectionInputSchema },
          'text/csv': {
            schema: z.string().openapi({
              example: 'name,lat,lon,capacity\nBull Ring,52.477,-1.894,3053',
              maxLength: 262_144,
            }),
          },
        },
        // Not "required", so a CSV body is not held to the JSON schema; an empty JSON body is still a 400.
        required: false,
      },
    },
    responses: {
      200: json(ImportSummarySchema, 'what was created, updated and rejected'),
      400: problem('not a FeatureCollection or CSV with the needed columns: nothing written'),
      415: problem('neither JSON nor CSV'),
    },
  }),
} as const;

export function importsResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(importRoutes.importLots, async (c) => {
    const options = c.req.valid('query');
    const rows =
      mediaTypeOf(c) === 'text/csv' ? rowsFromCsv(await c.req.text()) : rowsFromGeoJson(c.req.valid('json'));
    return c.json(await importLots(deps, rows, options), 200);
  });

  return app;
}
