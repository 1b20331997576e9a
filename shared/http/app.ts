// The one Hono app: the Lambda handler and the local Node server both serve exactly this. The checks
// every request passes, then one module per resource (shared/http/resources/, README "Design"),
// joined with app.route(), then the OpenAPI document and the error answers.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import {
  EventConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StoreUnavailableError,
} from '../use-cases/errors';
import type { Dependencies } from '../use-cases/ports';
import { REPORT_LIMITS, type ReportLimits } from '../use-cases/reports';
import { type AuthEnv, provideAuth } from './auth';
import { type ClientAddress, UNKNOWN_CLIENT_ADDRESS } from './client-address';
import { ApiError, formatPath, problemResponse } from './problem';
import { requestChecks } from './request-checks';
import { exportsResource } from './resources/exports';
import { forecastsResource } from './resources/forecasts';
import { healthResource } from './resources/health';
import { importsResource } from './resources/imports';
import { integrationsResource } from './resources/integrations';
import { keysResource } from './resources/keys';
import { lotsResource } from './resources/lots';
import { ngsiLdResource } from './resources/ngsi-ld';
import { ngsiLdTemporalResource } from './resources/ngsi-ld-temporal';
import { observationsResource } from './resources/observations';
import { serveOpenApiDocument } from './resources/openapi';
import { type PageCity, pagesResource } from './resources/pages';
import { reportsResource } from './resources/reports';
import { sourcesResource } from './resources/sources';
import { DEFAULT_AUTH_THROTTLE, FailureThrottle, type ThrottleOptions } from './throttle';

export { BODY_LIMIT_BYTES } from './request-checks';
export { toCsv } from './resources/reports';

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
  /**
   * The city the pages name and centre on (README "Configuration": CITY_NAME, CITY_CENTER). Without
   * one the pages name no city and offer no city centre.
   */
  city?: PageCity & { publisher?: { country: string; nationalIdentifier: string } };
}

/**
 * Response headers a page on another origin may read (beyond the CORS-safelisted ones): the
 * NGSI-LD context link, CSV reports' next cursor, the reports' read counts, and when to retry.
 */
export const EXPOSED_HEADERS = [
  'link',
  'x-next-cursor',
  'x-items-read',
  'x-raw-observations-read',
  'retry-after',
] as const;

export function createApp(deps: Dependencies, options: AppOptions = {}) {
  const app = new OpenAPIHono<AuthEnv>({
    // Validation failures become problem+json naming each bad field (README "API summary"). The
    // resources' apps have no hook of their own, so this one answers for all of them.
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

  app.use(
    '*',
    cors({
      origin: '*',
      allowHeaders: ['authorization', 'content-type', 'accept'],
      exposeHeaders: [...EXPOSED_HEADERS],
      maxAge: 600,
    }),
  );
  const auth = provideAuth({
    keys: deps.keys,
    integrations: deps.integrations,
    now: deps.now,
    throttle: new FailureThrottle(deps.now, options.authThrottle ?? DEFAULT_AUTH_THROTTLE),
    clientAddress: options.clientAddress ?? UNKNOWN_CLIENT_ADDRESS,
  });
  // The API's two trees: ours, and the NGSI-LD API (README "Open formats") under its standard root.
  for (const tree of ['/v1/*', '/ngsi-ld/*']) {
    app.use(tree, ...requestChecks);
    app.use(tree, auth);
  }

  const reportLimits: ReportLimits = { ...REPORT_LIMITS, ...options.reportLimits };
  app.route('/', lotsResource(deps));
  app.route('/', forecastsResource(deps));
  app.route('/', importsResource(deps));
  app.route('/', observationsResource(deps));
  app.route('/', reportsResource(deps, reportLimits));
  app.route('/', keysResource(deps));
  app.route('/', integrationsResource(deps));
  app.route('/', sourcesResource(deps));
  app.route('/', exportsResource(deps, options.city?.publisher));
  app.route('/', ngsiLdResource(deps));
  app.route('/', ngsiLdTemporalResource(deps));
  app.route('/', healthResource(deps));
  serveOpenApiDocument(app);
  app.route('/', pagesResource(options.city)); // GET / (driver's finder), GET /dashboard (staff), GET /docs: built from web/

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

function countRejectedBatch(c: Context, deps: Dependencies) {
  if (c.req.method === 'POST' && c.req.path.endsWith('/observations'))
    deps.metrics.count('BatchesRejected', 1);
}
