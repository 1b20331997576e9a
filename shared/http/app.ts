// The one Hono app: the Lambda handler and the local Node server both serve exactly this.
import { OpenAPIHono } from '@hono/zod-openapi';
import { format as formatMediaType, parse as parseMediaType } from 'content-type';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { csvCell } from '../domain/csv';
import type { Observation } from '../domain/observation';
import { Pacer } from '../domain/pacer';
import {
  EventConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StoreUnavailableError,
} from '../use-cases/errors';
import { findNearby } from '../use-cases/find-nearby';
import { listHistory } from '../use-cases/history';
import { importLots, rowsFromCsv, rowsFromGeoJson } from '../use-cases/import-lots';
import { ingestObservations } from '../use-cases/ingest';
import { lotHealth } from '../use-cases/lot-health';
import { createKey } from '../use-cases/manage-keys';
import { BboxTooLargeError, deleteLot, getLot, lotsInBox, patchLot, putLot } from '../use-cases/manage-lots';
import type { Dependencies } from '../use-cases/ports';
import {
  CSV_COLUMNS,
  heatmapReport,
  REPORT_LIMITS,
  type ReportLimits,
  type UtilizationRow,
  utilizationReport,
} from '../use-cases/reports';
import type { AuthEnv } from './auth';
import { type ClientAddress, UNKNOWN_CLIENT_ADDRESS } from './client-address';
import { toFeatureCollection } from './geojson';
import { registerPages } from './pages';
import { ApiError, formatPath, problemResponse } from './problem';
import { defineRoutes } from './routes';
import { DEFAULT_AUTH_THROTTLE, FailureThrottle, type ThrottleOptions } from './throttle';

export const BODY_LIMIT_BYTES = 256 * 1024;

export interface AppOptions {
  /** Failed-authentication throttling per client (default: 20 a minute). */
  authThrottle?: ThrottleOptions;
  /**
   * The connection's source address, which the throttle counts (README "Limits"). Each
   * composition root gives its runtime's: API Gateway's sourceIp on Lambda, the socket's remote
   * address locally. The default knows none, so every client shares one throttle bucket (valid
   * keys are served whatever the throttle says); never a client-supplied header.
   */
  clientAddress?: ClientAddress;
  /** Called with unexpected errors (never with secrets or request bodies). */
  onUnexpectedError?: (error: unknown, context: { method: string; path: string }) => void;
  /** Called when a request is answered 503 because the store failed (for the operator's logs). */
  onStoreUnavailable?: (error: unknown, context: { method: string; path: string }) => void;
  /** What one report may cost (default REPORT_LIMITS, README "Limits"); tests make them small. */
  reportLimits?: Partial<ReportLimits>;
}

export function createApp(deps: Dependencies, options: AppOptions = {}) {
  const app = new OpenAPIHono<AuthEnv>({
    // Validation failures become problem+json naming each bad field (CONTRACT §1).
    defaultHook: (result, c) => {
      if (result.success) return;
      const where = result.target === 'json' ? undefined : result.target === 'param' ? 'path' : result.target;
      const errors = result.error.issues.map((issue) => ({
        path: formatPath(issue.path, where === 'path' ? undefined : where === 'query' ? undefined : where),
        message: issue.message,
      }));
      countRejectedBatch(c, deps);
      return problemResponse(c, 400, `invalid ${result.target === 'json' ? 'body' : result.target}`, errors);
    },
  });

  app.use('*', cors({ origin: '*', allowHeaders: ['authorization', 'content-type', 'accept'], maxAge: 600 }));
  app.use('/v1/*', rejectRepeatedQueryParameters);
  app.use('/v1/*', canonicalContentType);
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: (c) => problemResponse(c, 413, `request bodies are limited to ${BODY_LIMIT_BYTES} bytes`),
    }),
  );
  app.use('/v1/*', rejectInvalidUtf8);

  const reportLimits: ReportLimits = { ...REPORT_LIMITS, ...options.reportLimits };
  const routes = defineRoutes(deps.keys, {
    throttle: new FailureThrottle(deps.now, options.authThrottle ?? DEFAULT_AUTH_THROTTLE),
    clientAddress: options.clientAddress ?? UNKNOWN_CLIENT_ADDRESS,
  });

  app.openapi(routes.nearby, async (c) => {
    const q = c.req.valid('query');
    const started = performance.now();
    const result = await findNearby(deps, {
      center: { lat: q.lat, lon: q.lon },
      radius: q.radius ?? 1000,
      limit: q.limit ?? 10,
      minFree: q.minFree ?? 1,
      features: q.features ?? [],
      includeStale: q.includeStale ?? false,
    });
    deps.metrics.milliseconds('NearbyLatency', performance.now() - started);
    c.header('cache-control', 'no-store');
    if (wantsGeoJson(c)) {
      return c.json(toFeatureCollection(result.lots), 200, GEOJSON);
    }
    return c.json(
      {
        origin: { lat: q.lat, lon: q.lon },
        radius: q.radius ?? 1000,
        asOf: new Date(result.asOf).toISOString(),
        lots: result.lots,
      },
      200,
    );
  });

  app.openapi(routes.listLots, async (c) => {
    const q = c.req.valid('query');
    const lots = await lotsInBox(deps, q.bbox, q.limit ?? 500);
    if (wantsGeoJson(c)) {
      return c.json(toFeatureCollection(lots), 200, GEOJSON);
    }
    return c.json({ lots }, 200);
  });

  app.openapi(routes.getLot, async (c) => c.json(await getLot(deps, c.req.valid('param').id), 200));

  app.openapi(routes.putLot, async (c) => {
    const { created, lot } = await putLot(deps, c.req.valid('param').id, c.req.valid('json'));
    return c.json(lot, created ? 201 : 200);
  });

  app.openapi(routes.patchLot, async (c) =>
    c.json(await patchLot(deps, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(routes.importLots, async (c) => {
    const options = c.req.valid('query');
    const rows =
      mediaTypeOf(c) === 'text/csv' ? rowsFromCsv(await c.req.text()) : rowsFromGeoJson(c.req.valid('json'));
    return c.json(await importLots(deps, rows, options), 200);
  });

  app.openapi(routes.deleteLot, async (c) => {
    await deleteLot(deps, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(routes.postObservations, async (c) => {
    const batch = c.req.valid('json').observations.map(toObservation);
    const report = await ingestObservations(deps, c.req.valid('param').id, batch, c.get('apiKey'));
    deps.metrics.count('ObservationsApplied', report.applied);
    deps.metrics.count('ObservationsDuplicate', report.duplicates);
    deps.metrics.count('ObservationsStale', report.stale);
    return c.json(report, 200);
  });

  app.openapi(routes.listObservations, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await listHistory(deps, id, c.req.valid('query')), 200);
  });

  app.openapi(routes.utilization, async (c) => {
    const report = await utilizationReport(deps, c.req.valid('query'), reportLimits);
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

  app.openapi(routes.heatmap, async (c) => {
    const { stats, ...body } = await heatmapReport(deps, c.req.valid('query'), reportLimits);
    c.header('x-items-read', String(stats.itemsRead));
    c.header('x-raw-observations-read', String(stats.rawObservationsRead));
    return c.json(body, 200);
  });

  app.openapi(routes.healthReport, async (c) => c.json(await lotHealth(deps), 200));

  app.openapi(routes.createKey, async (c) => {
    const created = await createKey(deps, c.req.valid('json'));
    return c.json({ ...created, createdAt: new Date(created.createdAt).toISOString() }, 201);
  });

  app.openapi(routes.listKeys, async (c) => {
    const keys = await deps.keys.list();
    return c.json({ keys: keys.map((k) => ({ ...k, createdAt: new Date(k.createdAt).toISOString() })) }, 200);
  });

  app.openapi(routes.revokeKey, async (c) => {
    const { keyId } = c.req.valid('param');
    if (!(await deps.keys.revoke(keyId, deps.now()))) throw new NotFoundError(`no live key ${keyId}`);
    return c.body(null, 204);
  });

  app.get('/health', async (c) => {
    if (await deps.storeHealthy()) return c.json({ status: 'ok' }, 200);
    return problemResponse(c, 503, 'the store does not answer', undefined, { 'retry-after': '5' });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Parking finder',
      version: '1.0.0',
      description:
        'Nearest free parking for drivers, occupancy ingestion for lot sensors, utilization reports for city ' +
        'staff. Errors are application/problem+json (RFC 9457). Query numbers are plain decimals; a repeated ' +
        'query parameter is a 400. Bodies are UTF-8 JSON (CSV for imports) of at most 256 KiB (else 413); ' +
        'another content type is a 415; a duplicate JSON key counts once, with its last value. A method a ' +
        'path does not have is a 404, as API Gateway answers it.',
    },
  });
  registerPages(app); // GET / (driver's finder), GET /dashboard (staff), GET /docs: built from web/

  app.notFound((c) => problemResponse(c, 404, `no route for ${c.req.method} ${c.req.path}`));

  app.onError((error, c) => {
    const response = errorResponse(error, c, options);
    if (response.status === 400 || response.status === 409) countRejectedBatch(c, deps);
    return response;
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

function errorResponse(error: unknown, c: Context, options: AppOptions): Response {
  if (error instanceof ApiError)
    return problemResponse(c, error.status, error.message, error.errors, error.headers);
  if (error instanceof NotFoundError) return problemResponse(c, 404, error.message);
  if (error instanceof ForbiddenError) return problemResponse(c, 403, error.message);
  if (error instanceof InvalidInputError) return problemResponse(c, 400, error.message, error.errors);
  if (error instanceof EventConflictError) {
    return problemResponse(c, 409, `${error.message}; nothing in the batch was applied`, [
      { path: 'eventId', message: error.eventId },
    ]);
  }
  if (error instanceof BboxTooLargeError) {
    return problemResponse(c, 400, error.message, [{ path: 'bbox', message: error.message }]);
  }
  if (error instanceof StoreUnavailableError) {
    options.onStoreUnavailable?.(error, { method: c.req.method, path: c.req.path });
    return problemResponse(c, 503, 'the store is unavailable; retry shortly', undefined, {
      'retry-after': String(error.retryAfterSeconds),
    });
  }
  if (error instanceof HTTPException) {
    if (error.status === 415) {
      return problemResponse(
        c,
        415,
        c.req.path === '/v1/lots:import'
          ? 'send the file as application/geo+json, application/json or text/csv'
          : 'send the body as application/json',
      );
    }
    if (error.status === 400) {
      return problemResponse(c, 400, 'the body is not valid JSON', [
        { path: '(body)', message: 'is not valid JSON' },
      ]);
    }
    return problemResponse(c, error.status, error.message);
  }
  options.onUnexpectedError?.(error, { method: c.req.method, path: c.req.path });
  return problemResponse(c, 500, 'an unexpected error occurred');
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

function countRejectedBatch(c: Context, deps: Dependencies) {
  if (c.req.method === 'POST' && c.req.path.endsWith('/observations'))
    deps.metrics.count('BatchesRejected', 1);
}

const GEOJSON = { 'content-type': 'application/geo+json' };

function wantsGeoJson(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('application/geo+json');
}

async function rejectRepeatedQueryParameters(c: Context, next: () => Promise<void>) {
  const repeated = Object.entries(c.req.queries()).filter(([, values]) => values.length > 1);
  if (repeated.length > 0) {
    return problemResponse(
      c,
      400,
      'a query parameter may appear once',
      repeated.map(([name]) => ({ path: name, message: 'is repeated' })),
    );
  }
  await next();
}

/**
 * One spelling of the Content-Type of every body, so that each check after this one (the 415 gate
 * of the routes, the JSON validator, the UTF-8 check, the import's CSV-or-GeoJSON choice) sees the
 * same media type: RFC 9110 matches types and parameter names case-insensitively and allows
 * spaces around ";" (`TEXT/CSV`, `Application/Geo+JSON ; Charset="UTF-8"`). A header that is not a
 * media type, or names a charset other than UTF-8, is a 415.
 */
async function canonicalContentType(c: Context, next: () => Promise<void>) {
  const header = c.req.header('content-type');
  if (header === undefined || !c.req.raw.body) return next();
  let canonical: string;
  try {
    const { type, parameters } = parseMediaType(header);
    const charset = parameters.charset?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return problemResponse(c, 415, `bodies are UTF-8; charset=${charset} is not accepted`);
    }
    canonical = formatMediaType({
      type,
      parameters: charset === undefined ? parameters : { ...parameters, charset: 'utf-8' },
    });
  } catch {
    return problemResponse(c, 415, 'the Content-Type header is not a media type');
  }
  if (canonical !== header) {
    const headers = new Headers(c.req.raw.headers);
    headers.set('content-type', canonical);
    c.req.raw = new Request(c.req.raw, { headers });
  }
  await next();
}

/** The body's media type, lower case without parameters (`text/csv`), if it has a valid one. */
function mediaTypeOf(c: Context): string | undefined {
  const header = c.req.header('content-type');
  if (header === undefined) return undefined;
  try {
    return parseMediaType(header).type;
  } catch {
    return undefined;
  }
}

const TEXT_BODY = /^(application\/([\w.-]+\+)?json|text\/csv)$/;

/** JSON and CSV bodies must be UTF-8 (RFC 8259): bad bytes are a 400, not silently U+FFFD. */
async function rejectInvalidUtf8(c: Context, next: () => Promise<void>) {
  if (c.req.raw.body && TEXT_BODY.test(mediaTypeOf(c) ?? '')) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
    } catch {
      return problemResponse(c, 400, 'the body is not valid UTF-8', [
        { path: '(body)', message: 'is not valid UTF-8' },
      ]);
    }
  }
  await next();
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
