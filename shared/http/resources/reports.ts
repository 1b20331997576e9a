// Reports for city staff: time-weighted utilization (JSON or CSV), the weekday × hour heatmap and
// the lots that went silent.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { csvCell } from '../../domain/csv';
import { Pacer } from '../../domain/pacer';
import { HEALTH_PAGE_LOTS, lotHealth } from '../../use-cases/lot-health';
import type { Dependencies } from '../../use-cases/ports';
import {
  CSV_COLUMNS,
  heatmapReport,
  REPORT_LIMITS,
  type ReportLimits,
  type UtilizationRow,
  utilizationReport,
} from '../../use-cases/reports';
import type { AuthEnv } from '../auth';
import { json, problem, route, withHeaders } from '../route';
import {
  FREE_TEXT,
  HealthReportSchema,
  HeatmapSchema,
  PageQuerySchema,
  ReportQuerySchema,
  TIME_DOMAIN_TEXT,
  UtilizationReportSchema,
  UtilizationRowSchema,
} from '../schemas';

/** The headers that say what a report cost. */
const COST_HEADERS = {
  'X-Items-Read': z.int32().min(0).openapi({ description: 'store items the report read' }),
  'X-Raw-Observations-Read': z.int32().min(0).openapi({ description: 'raw observations the report read' }),
};

export const reportRoutes = {
  utilization: route({
    method: 'get',
    path: '/v1/reports/utilization',
    operationId: 'getUtilizationReport',
    tags: ['staff'],
    access: 'staff',
    summary:
      'Time-weighted utilization by lot or zone and local hour or day (JSON, or CSV with Accept: text/csv)',
    description:
      'Every figure is time-weighted over the step function of each lot\'s history (README "Utilization ' +
      'reports"). Buckets are the local hours/days of `tz` (default: the lots\' zone) that meet [from, to), the ' +
      'first and last clipped; a DST day has 23 or 25 hours, an hour the clocks repeat is two buckets, and ' +
      'bucket bounds carry the local offset as ±hh:mm (±hh:mm:ss for offsets with seconds, e.g. -00:44:30 ' +
      `in Monrovia until 1972). Instants ${TIME_DOMAIN_TEXT}. Hourly ranges up to 745 hours, daily up to ` +
      '366 days. No coverage gives coverage 0 and nulls. Without lotId/zone: one series per lot, in pages ' +
      `of whole lots in catalog order (zone, then id; at most ${REPORT_LIMITS.rowsPerPage} rows, ${REPORT_LIMITS.lots} lots and ` +
      `${REPORT_LIMITS.lotDays} lot-days a page, each page reading only its own lots): ` +
      'follow nextCursor (X-Next-Cursor with CSV) with the same query. Without tz such a walk follows the zone of ' +
      "its first page's lots, and a later page holding a lot in another zone is a 400 naming tz (name tz and " +
      'start again). Budget (README "Limits"): a zone report over more ' +
      `than ${REPORT_LIMITS.zoneLots} lots or ${REPORT_LIMITS.lotDays} lot-days (lots × UTC days), or one that would read more than ` +
      `${REPORT_LIMITS.rawObservations} raw observations is a 400 naming to. CSV has one header line with ` +
      'the same column names; null is an empty cell and flags are joined by ";". Responses carry ' +
      'X-Items-Read and X-Raw-Observations-Read.',
    request: { query: ReportQuerySchema },
    responses: {
      200: {
        content: {
          'application/json': {
            schema: UtilizationReportSchema.extend({
              rows: z.array(UtilizationRowSchema).max(REPORT_LIMITS.rowsPerPage),
            }).openapi('UtilizationReport'),
          },
          // As long as its rows: at most the report budget's rows of a few hundred bytes each.
          'text/csv': { schema: z.string().openapi({ ...FREE_TEXT, maxLength: 64 * 1024 * 1024 }) },
        },
        headers: withHeaders({
          ...COST_HEADERS,
          'X-Next-Cursor': z
            .string()
            .max(512)
            .regex(/^[A-Za-z0-9_-]*$/)
            .optional()
            .openapi({
              description: 'the nextCursor of an all-lots report (for CSV); absent on the last page',
            }),
        }),
        description: 'rows per lot (or zone) and bucket',
      },
      400: problem('invalid range, parameters or cursor, or over the report budget'),
      404: problem('no such lot or zone'),
    },
  }),
  heatmap: route({
    method: 'get',
    path: '/v1/reports/heatmap',
    operationId: 'getHeatmapReport',
    tags: ['staff'],
    access: 'staff',
    summary: 'Mean utilization by local weekday × hour (168 cells)',
    description:
      'Each cell is the covered-time-weighted mean of the hourly utilizations in it; null where never covered. ' +
      `For a lot, a zone (capacity-weighted), or, without either, all lots. Ranges up to 366 days, ${TIME_DOMAIN_TEXT}. ` +
      `Budget (README "Limits"): more than ${REPORT_LIMITS.lots} lots or ${REPORT_LIMITS.lotDays} lot-days ` +
      '(lots × UTC days) is a 400 naming to.',
    request: { query: ReportQuerySchema.omit({ bucket: true, cursor: true }) },
    responses: {
      200: { ...json(HeatmapSchema, 'the 7 × 24 cells'), headers: withHeaders(COST_HEADERS) },
      400: problem('invalid range or parameters, or over the report budget'),
      404: problem('no such lot or zone'),
    },
  }),
  healthReport: route({
    method: 'get',
    path: '/v1/reports/health',
    operationId: 'getLotHealthReport',
    tags: ['staff'],
    access: 'staff',
    summary: 'Lots that are stale or were never observed, with their last observation time',
    description:
      'Every lot whose data is older than its `staleAfterSeconds`, or that no sensor ever reported: which ' +
      `sensors to look at. One page looks at ${HEALTH_PAGE_LOTS} lots of the catalog (zone, then id) and lists ` +
      'those of them that are silent, never-observed first, then the longest silent; `nextCursor` is there ' +
      'while more lots follow (a page may list none). Budget (README "Limits").',
    request: { query: PageQuerySchema },
    responses: {
      200: json(HealthReportSchema, 'silent lots of this page, never-observed first'),
      400: problem('a cursor this report did not issue'),
    },
  }),
} as const;

export function reportsResource(deps: Dependencies, limits: ReportLimits) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(reportRoutes.utilization, async (c) => {
    const report = await utilizationReport(deps, c.req.valid('query'), limits);
    const { stats, ...body } = report;
    c.header('x-items-read', String(stats.itemsRead));
    c.header('x-raw-observations-read', String(stats.rawObservationsRead));
    if (body.nextCursor !== undefined) c.header('x-next-cursor', body.nextCursor);
    if ((c.req.header('accept') ?? '').includes('text/csv')) {
      return c.body(await toCsv(body.rows, c.req.valid('query').zone !== undefined), 200, {
        'content-type': 'text/csv; charset=utf-8',
      });
    }
    return c.json(body, 200);
  });

  app.openapi(reportRoutes.heatmap, async (c) => {
    const { stats, ...body } = await heatmapReport(deps, c.req.valid('query'), limits);
    c.header('x-items-read', String(stats.itemsRead));
    c.header('x-raw-observations-read', String(stats.rawObservationsRead));
    return c.json(body, 200);
  });

  app.openapi(reportRoutes.healthReport, async (c) =>
    c.json(await lotHealth(deps, c.req.valid('query')), 200),
  );

  return app;
}

/** CSV of report rows: one header line, the JSON field names, null as an empty cell (yielding as it goes). */
export async function toCsv(rows: readonly UtilizationRow[], byZone: boolean): Promise<string> {
  const columns = [byZone ? 'zone' : 'lotId', ...CSV_COLUMNS];
  const lines = [columns.join(',')];
  const pacer = new Pacer();
  for (const row of rows) {
    if (pacer.due()) await pacer.pause();
    lines.push(columns.map((c) => csvCell((row as unknown as Record<string, unknown>)[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
