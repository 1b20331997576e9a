// Imports: many lots at once from a GeoJSON FeatureCollection (ParkAPI city files) or a CSV.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { importLots, MAX_IMPORT_ROWS, rowsFromCsv, rowsFromGeoJson } from '../../use-cases/import-lots';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { CrsParam, toWgs84 } from '../crs';
import { BODY_LIMIT_BYTES } from '../limits';
import { mediaTypeOf } from '../request-checks';
import { json, problem, route } from '../route';
import { booleanParam, FREE_TEXT, freeText, Id, IdOut, int, TimeZoneSchema } from '../schemas';

export const ImportQuerySchema = z.object({
  timeZone: TimeZoneSchema.optional().openapi({ description: 'IANA zone for rows that carry none' }),
  zone: Id.optional().openapi({ description: 'zone for rows that carry none' }),
  idPrefix: z
    .string()
    .regex(/^[a-z0-9-]{0,20}$/, 'lower-case letters, digits and dashes, at most 20')
    .optional()
    .openapi({ maxLength: 20, description: 'prefixed to ids slugged from names, e.g. "dresden-"' }),
  dryRun: booleanParam.optional().openapi({ type: 'string', enum: ['true', 'false'] }),
  crs: CrsParam,
});

export const FeatureCollectionInputSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.unknown()).max(MAX_IMPORT_ROWS),
  })
  .openapi('LotFeatureCollection', {
    description:
      'GeoJSON Points; properties name, capacity (or ParkAPI total), type (ours or ParkAPI Parkhaus/Tiefgarage/' +
      'Parkplatz), features, zone, timeZone, staleAfterSeconds, openingHours, id. A feature whose properties.type ' +
      'is "city" (ParkAPI city centre) is skipped.',
  });

export const ImportSummarySchema = z
  .object({
    created: int(0, MAX_IMPORT_ROWS),
    updated: int(0, MAX_IMPORT_ROWS),
    rejected: z
      .array(
        z.object({
          row: int(1, MAX_IMPORT_ROWS).openapi({
            description:
              "1-based: the feature's position in `features`, or the CSV record's after the header",
          }),
          field: z
            .string()
            .max(64)
            .openapi({
              ...FREE_TEXT,
              description: 'where in the row: a CSV column, or a GeoJSON member such as `properties.total`',
              example: 'geometry.coordinates',
            }),
          id: freeText(16_384).optional().openapi({ description: 'the id the row gave, as given' }),
          name: freeText(16_384).optional(),
          reason: freeText(16_384),
        }),
      )
      .max(MAX_IMPORT_ROWS),
    ids: z.array(IdOut).max(MAX_IMPORT_ROWS),
    dryRun: z.boolean(),
  })
  .openapi('ImportSummary');

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
              ...FREE_TEXT,
              maxLength: BODY_LIMIT_BYTES,
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
    const { crs, ...options } = c.req.valid('query');
    const rows =
      mediaTypeOf(c) === 'text/csv'
        ? await rowsFromCsv(await c.req.text())
        : rowsFromGeoJson(c.req.valid('json'));
    return c.json(await importLots(deps, rows, { ...options, toWgs84: (p) => toWgs84(p, crs) }), 200);
  });

  return app;
}
