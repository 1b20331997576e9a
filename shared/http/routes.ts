// Every route of the API as a createRoute() definition: the same objects validate requests,
// register handlers and generate /openapi.json. The auth matrix test reads ROUTES too.
import { createRoute, z } from '@hono/zod-openapi';
import type { KeysPort } from '../use-cases/ports';
import { REPORT_LIMITS } from '../use-cases/reports';
import { type AuthGuard, defaultAuthGuard, requireLotWriter, requireStaff } from './auth';
import {
  BboxQuerySchema,
  CreatedKeySchema,
  FeatureCollectionInputSchema,
  HealthReportSchema,
  HeatmapSchema,
  HistoryQuerySchema,
  HistoryResponseSchema,
  ImportQuerySchema,
  ImportSummarySchema,
  IngestResponseSchema,
  KeyIdParams,
  KeyInputSchema,
  KeySchema,
  LotIdParams,
  LotInputSchema,
  LotListResponseSchema,
  LotPatchSchema,
  LotSchema,
  NearbyQuerySchema,
  NearbyResponseSchema,
  ObservationBatchSchema,
  ProblemSchema,
  ReportQuerySchema,
  TIME_DOMAIN_TEXT,
  UtilizationReportSchema,
} from './schemas';

export type Access = 'public' | 'staff' | 'lot-writer';

const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  description,
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const bearer = [{ bearerAuth: [] }];

const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }),
        properties: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .openapi('FeatureCollection');

const authErrors = {
  401: problem('missing or invalid API key'),
  403: problem('the key lacks the role or the lot'),
  429: problem(
    'too many failed authentications from this source address (20 a minute); see Retry-After. A valid key ' +
      'is still served',
  ),
};

export function defineRoutes(keys: KeysPort, guard: AuthGuard = defaultAuthGuard()) {
  const staff = requireStaff(keys, guard);
  const lotWriter = requireLotWriter(keys, guard);
  return {
    nearby: createRoute({
      method: 'get',
      path: '/v1/lots/nearby',
      tags: ['drivers'],
      summary: 'Nearest open lots with free spaces',
      description:
        'Lots within `radius` metres (great-circle), open, with fresh data and at least `minFree` free spaces, ' +
        'ordered by distance, then more free spaces, then id. `Accept: application/geo+json` returns a ' +
        'FeatureCollection. Defaults: radius 1000, limit 10, minFree 1, includeStale false.',
      request: { query: NearbyQuerySchema },
      responses: {
        200: {
          content: {
            'application/json': { schema: NearbyResponseSchema },
            'application/geo+json': { schema: FeatureCollectionSchema },
          },
          description: 'ranked lots',
        },
        400: problem('invalid query'),
      },
    }),
    listLots: createRoute({
      method: 'get',
      path: '/v1/lots',
      tags: ['drivers'],
      summary: 'Lots in a bounding box, any status (for maps)',
      description:
        'A box may cross the antimeridian (minLon > maxLon). Its corners may be at most 50 km from its centre. ' +
        'Lots nearest the box centre come first; default limit 500, max 1000.',
      request: { query: BboxQuerySchema },
      responses: {
        200: {
          content: {
            'application/json': { schema: LotListResponseSchema },
            'application/geo+json': { schema: FeatureCollectionSchema },
          },
          description: 'lots in the box',
        },
        400: problem('invalid query'),
      },
    }),
    getLot: createRoute({
      method: 'get',
      path: '/v1/lots/{id}',
      tags: ['drivers'],
      summary: 'One lot',
      request: { params: LotIdParams },
      responses: { 200: json(LotSchema, 'the lot'), 400: problem('invalid id'), 404: problem('no such lot') },
    }),
    putLot: createRoute({
      method: 'put',
      path: '/v1/lots/{id}',
      tags: ['staff'],
      summary: 'Create or replace a lot (keeps its occupancy and history)',
      security: bearer,
      middleware: staff,
      request: {
        params: LotIdParams,
        body: { content: { 'application/json': { schema: LotInputSchema } }, required: true },
      },
      responses: {
        200: json(LotSchema, 'replaced'),
        201: json(LotSchema, 'created'),
        400: problem('invalid body'),
        ...authErrors,
        413: problem('body over 256 KiB'),
        415: problem('not JSON'),
      },
    }),
    patchLot: createRoute({
      method: 'patch',
      path: '/v1/lots/{id}',
      tags: ['staff'],
      summary: 'Change some fields; {"closed": true} closes the lot, false reopens it',
      security: bearer,
      middleware: staff,
      request: {
        params: LotIdParams,
        body: { content: { 'application/json': { schema: LotPatchSchema } }, required: true },
      },
      responses: {
        200: json(LotSchema, 'the lot'),
        400: problem('invalid body'),
        ...authErrors,
        404: problem('no such lot'),
        413: problem('body over 256 KiB'),
        415: problem('not JSON'),
      },
    }),
    importLots: createRoute({
      method: 'post',
      path: '/v1/lots:import',
      tags: ['staff'],
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
      security: bearer,
      middleware: staff,
      request: {
        query: ImportQuerySchema,
        body: {
          content: {
            'application/geo+json': { schema: FeatureCollectionInputSchema },
            'application/json': { schema: FeatureCollectionInputSchema },
            'text/csv': {
              schema: z.string().openapi({ example: 'name,lat,lon,capacity\nBull Ring,52.477,-1.894,3053' }),
            },
          },
          // Not "required", so a CSV body is not held to the JSON schema; an empty JSON body is still a 400.
          required: false,
        },
      },
      responses: {
        200: json(ImportSummarySchema, 'what was created, updated and rejected'),
        400: problem('not a FeatureCollection or CSV with the needed columns: nothing written'),
        ...authErrors,
        413: problem('body over 256 KiB'),
        415: problem('neither JSON nor CSV'),
      },
    }),
    deleteLot: createRoute({
      method: 'delete',
      path: '/v1/lots/{id}',
      tags: ['staff'],
      summary: 'Delete a lot, and fence off everything keyed by it',
      description:
        'The lot goes at once, and with it (fenced off by its generation) its history, bays, rollups and ' +
        'duplicate records: a lot created later under the same id starts empty, its reports and history show ' +
        'nothing of this one, and a resent old batch applies to it as new. Sensor keys made for this lot stop ' +
        'writing it: 404 while no lot has the id, 403 once a new lot has it (make a new key for that one); ' +
        'their other lots are unaffected. The old history expires by retention, its bays and rollups are ' +
        'purged by the scheduled job.',
      security: bearer,
      middleware: staff,
      request: { params: LotIdParams },
      responses: {
        204: { description: 'deleted' },
        400: problem('invalid id'),
        ...authErrors,
        404: problem('no such lot'),
      },
    }),
    postObservations: createRoute({
      method: 'post',
      path: '/v1/lots/{id}/observations',
      tags: ['sensors'],
      summary: 'Report 1–100 observations for a lot',
      description:
        'Each observation is an absolute count (`occupied`), gate counts (`entries`/`exits` since the previous ' +
        'report) or one bay (`spaceId` + `state`). The same `eventId` is applied once; the same id with a ' +
        'different body is a 409 and nothing in the batch is applied. State follows observation time, not ' +
        'arrival order. `observedAt` more than 5 minutes in the future is a 400. A sensor key writes only ' +
        'the lots it lists, as they were when the key was made: after a lot is deleted and created again ' +
        'under the same id, the old key gets a 403. History is kept for HISTORY_RETENTION_DAYS from arrival, ' +
        'and a resend is recognised as a duplicate for as long.',
      security: bearer,
      middleware: lotWriter,
      request: {
        params: LotIdParams,
        body: { content: { 'application/json': { schema: ObservationBatchSchema } }, required: true },
      },
      responses: {
        200: json(IngestResponseSchema, 'what happened to each observation'),
        400: problem('invalid batch: nothing applied'),
        ...authErrors,
        404: problem('no such lot (or the lot this key was made for was deleted)'),
        409: problem('an event id was seen with another body: nothing applied'),
        413: problem('body over 256 KiB'),
        415: problem('not JSON'),
      },
    }),
    listObservations: createRoute({
      method: 'get',
      path: '/v1/lots/{id}/observations',
      tags: ['staff'],
      summary: "A lot's history in observation-time order",
      description:
        '`from`/`to` default to the last 24 hours, `to` exclusive, at most 31 days; pages of 1000. ' +
        '`nextCursor` continues the same query: pass it as `cursor`, with the same `from`/`to` or none (the ' +
        "cursor's range is used). A cursor is opaque and bound to the lot (this incarnation of its id) and to " +
        'the range it was issued for; any other cursor, or one with another `from`/`to`, is a 400 naming ' +
        '`cursor`.',
      security: bearer,
      middleware: staff,
      request: { params: LotIdParams, query: HistoryQuerySchema },
      responses: {
        200: json(HistoryResponseSchema, 'history'),
        400: problem('invalid query or cursor'),
        ...authErrors,
        404: problem('no such lot'),
      },
    }),
    utilization: createRoute({
      method: 'get',
      path: '/v1/reports/utilization',
      tags: ['staff'],
      summary:
        'Time-weighted utilization by lot or zone and local hour or day (JSON, or CSV with Accept: text/csv)',
      description:
        'Every figure is time-weighted over the step function of each lot\'s history (README "Utilization ' +
        'reports"). Buckets are the local hours/days of `tz` (default: the lots\' zone) that meet [from, to), the ' +
        'first and last clipped; a DST day has 23 or 25 hours, an hour the clocks repeat is two buckets, and ' +
        'bucket bounds carry the local offset as ±hh:mm (±hh:mm:ss for offsets with seconds, e.g. -00:44:30 ' +
        `in Monrovia until 1972). Instants ${TIME_DOMAIN_TEXT}. Hourly ranges up to 745 hours, daily up to ` +
        '366 days. No coverage gives coverage 0 and nulls. Without lotId/zone: one series per lot, in pages ' +
        `of whole lots (at most ${REPORT_LIMITS.rowsPerPage} rows, ${REPORT_LIMITS.lots} lots and ` +
        `${REPORT_LIMITS.lotDays} lot-days a page): ` +
        'follow nextCursor (X-Next-Cursor with CSV) with the same query. Budget (README "Limits"): a report ' +
        `of more than ${REPORT_LIMITS.rows} rows (lots × buckets, all pages together), a zone report over more ` +
        `than ${REPORT_LIMITS.zoneLots} lots or ${REPORT_LIMITS.lotDays} lot-days (lots × UTC days), or one that would read more than ` +
        `${REPORT_LIMITS.rawObservations} raw observations is a 400 naming to. CSV has one header line with ` +
        'the same column names; null is an empty cell and flags are joined by ";". Responses carry ' +
        'X-Items-Read and X-Raw-Observations-Read.',
      security: bearer,
      middleware: staff,
      request: { query: ReportQuerySchema },
      responses: {
        200: {
          content: {
            'application/json': { schema: UtilizationReportSchema },
            'text/csv': { schema: z.string() },
          },
          description: 'rows per lot (or zone) and bucket',
        },
        400: problem('invalid range, parameters or cursor, or over the report budget'),
        ...authErrors,
        404: problem('no such lot or zone'),
      },
    }),
    heatmap: createRoute({
      method: 'get',
      path: '/v1/reports/heatmap',
      tags: ['staff'],
      summary: 'Mean utilization by local weekday × hour (168 cells)',
      description:
        'Each cell is the covered-time-weighted mean of the hourly utilizations in it; null where never covered. ' +
        `For a lot, a zone (capacity-weighted), or, without either, all lots. Ranges up to 366 days, ${TIME_DOMAIN_TEXT}. ` +
        `Budget (README "Limits"): more than ${REPORT_LIMITS.lots} lots or ${REPORT_LIMITS.lotDays} lot-days ` +
        '(lots × UTC days) is a 400 naming to.',
      security: bearer,
      middleware: staff,
      request: { query: ReportQuerySchema.omit({ bucket: true, cursor: true }) },
      responses: {
        200: json(HeatmapSchema, 'the 7 × 24 cells'),
        400: problem('invalid range or parameters, or over the report budget'),
        ...authErrors,
        404: problem('no such lot or zone'),
      },
    }),
    healthReport: createRoute({
      method: 'get',
      path: '/v1/reports/health',
      tags: ['staff'],
      summary: 'Lots that are stale or were never observed, with their last observation time',
      security: bearer,
      middleware: staff,
      responses: { 200: json(HealthReportSchema, 'silent lots, never-observed first'), ...authErrors },
    }),
    createKey: createRoute({
      method: 'post',
      path: '/v1/keys',
      tags: ['staff'],
      summary: 'Create a sensor key (scoped to lots) or a staff key; the secret is shown once',
      description:
        'A sensor key may name only lots that exist now (otherwise a 400 naming `lots`), and writes those ' +
        'lots as they are now: if one is deleted, the key stops writing it, also when a lot is later ' +
        'created under the same id (403).',
      security: bearer,
      middleware: staff,
      request: { body: { content: { 'application/json': { schema: KeyInputSchema } }, required: true } },
      responses: {
        201: json(CreatedKeySchema, 'created'),
        400: problem('invalid body, or a lot that does not exist'),
        ...authErrors,
        413: problem('body over 256 KiB'),
        415: problem('not JSON'),
      },
    }),
    listKeys: createRoute({
      method: 'get',
      path: '/v1/keys',
      tags: ['staff'],
      summary: 'Live keys, without secrets',
      security: bearer,
      middleware: staff,
      responses: { 200: json(z.object({ keys: z.array(KeySchema) }), 'keys'), ...authErrors },
    }),
    revokeKey: createRoute({
      method: 'delete',
      path: '/v1/keys/{keyId}',
      tags: ['staff'],
      summary: 'Revoke a key at once',
      security: bearer,
      middleware: staff,
      request: { params: KeyIdParams },
      responses: {
        204: { description: 'revoked' },
        400: problem('invalid key id'),
        ...authErrors,
        404: problem('no such live key'),
      },
    }),
  } as const;
}

/** Who may call each route, for docs and the authorization matrix test. */
export const ROUTE_ACCESS: Record<keyof ReturnType<typeof defineRoutes>, Access> = {
  nearby: 'public',
  listLots: 'public',
  getLot: 'public',
  putLot: 'staff',
  patchLot: 'staff',
  importLots: 'staff',
  deleteLot: 'staff',
  postObservations: 'lot-writer',
  listObservations: 'staff',
  utilization: 'staff',
  heatmap: 'staff',
  healthReport: 'staff',
  createKey: 'staff',
  listKeys: 'staff',
  revokeKey: 'staff',
};
