// How a route of the API is declared: createRoute() plus the route's access rule, once. From the
// access rule follow the route's auth middleware, its `security` in the OpenAPI document (an
// explicit `security: []` when public), its `x-access` extension (which the docs page, the auth
// matrix test and infra/routes.ts read) and the error responses every route of that kind can give.
import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { isPastAsOf } from '../domain/forecast/serving';
import { type AuthEnv, requireIntegration, requireLotWriter, requireStaff, requireStaffWhen } from './auth';
import { BODY_LIMIT_BYTES } from './request-checks';
import { ForecastQuerySchema, GatewayThrottleSchema, ProblemSchema } from './schemas';

/**
 * Who may call a route: anyone, a staff key, a key that may write the lot in the path, the
 * network server holding the secret of the integration in the path (no API key), or anyone
 * unless the query's `asOf` lies in the past (README "Forecasts"), which needs a staff key.
 */
export type Access = 'public' | 'staff' | 'lot-writer' | 'integration' | 'public-staff-for-past';

/** Whether a request's asOf (as the route's schema reads it) is a past one. */
function pastAsOf(c: { req: { query(name: string): string | undefined } }, now: number): boolean {
  const parsed = ForecastQuerySchema.shape.asOf.safeParse(c.req.query('asOf'));
  return parsed.success && parsed.data !== undefined && isPastAsOf(Date.parse(parsed.data), now);
}

const MIDDLEWARE: Record<Exclude<Access, 'public'>, MiddlewareHandler<AuthEnv>[]> = {
  staff: requireStaff,
  'lot-writer': requireLotWriter,
  integration: requireIntegration,
  'public-staff-for-past': requireStaffWhen(pastAsOf),
};

/** Response headers every answer carries (CORS for the web pages on other origins). */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': z
    .literal('*')
    .optional()
    .openapi({ description: 'CORS: every origin may read the answer' }),
};
const CORS = z.object(CORS_HEADERS);

/** Response headers of an answer that asks the client to wait. */
export const RETRY_AFTER = z.object({
  ...CORS_HEADERS,
  'Retry-After': z.int32().min(1).max(86_400).openapi({ description: 'seconds to wait before trying again' }),
});

/** A response's headers: CORS plus these. */
export const withHeaders = (headers: Record<string, z.ZodType>) => z.object({ ...CORS_HEADERS, ...headers });

/** An error answer: application/problem+json (RFC 9457). */
export const problem = (description: string, headers: z.ZodObject = CORS) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  headers,
  description,
});

/** A JSON answer. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  headers: CORS,
  description,
});

/** An answer without a body. */
export const noContent = (description: string) => ({ headers: CORS, description });

const THROTTLED_BY_GATEWAY =
  'over the request rate of the API (API Gateway stage throttling, application/json with a message)';

function standardResponses(access: Access, hasBody: boolean) {
  const pastOnly = access === 'public-staff-for-past' ? ' (with a past asOf)' : '';
  return {
    400: problem('a query parameter given twice'),
    ...(access === 'public'
      ? {}
      : {
          401: problem(
            access === 'integration'
              ? 'missing or wrong secret of the integration (an API key, even a staff key, is not it)'
              : `missing or invalid API key${pastOnly}`,
            withHeaders({
              'WWW-Authenticate': z.literal('Bearer').openapi({ description: 'the scheme to use' }),
            }),
          ),
          ...(access === 'integration'
            ? {}
            : { 403: problem(`the key lacks the role or the lot${pastOnly}`) }),
        }),
    ...(hasBody
      ? {
          413: problem(`body over ${BODY_LIMIT_BYTES / 1024} KiB`),
          415: problem('a media type the route does not take, or a charset other than UTF-8'),
        }
      : {}),
    429: {
      content: {
        ...(access === 'public' ? {} : { 'application/problem+json': { schema: ProblemSchema } }),
        'application/json': { schema: GatewayThrottleSchema },
      },
      headers: RETRY_AFTER,
      description:
        access === 'public'
          ? THROTTLED_BY_GATEWAY
          : 'too many failed authentications from this source address (20 a minute; problem+json with ' +
            `Retry-After; a valid key is still served), or ${THROTTLED_BY_GATEWAY}`,
    },
    500: problem('an unexpected error (logged without the request body)'),
    503: problem('the store is unavailable; retry after Retry-After seconds', RETRY_AFTER),
  };
}

type RouteInput = Omit<RouteConfig, 'middleware' | 'security' | 'operationId' | 'tags'> & {
  operationId: string;
  tags: [string, ...string[]];
  access: Access;
};

/**
 * One route of the API. The responses given win over the standard ones of the same status (a route
 * names its own 400 or 404 more precisely); the standard ones cover what every route of its access
 * and kind can answer.
 */
export function route<const R extends RouteInput>({ access, ...config }: R) {
  const hasBody = config.request?.body !== undefined;
  const responses = { ...standardResponses(access, hasBody), ...config.responses };
  return createRoute({
    ...config,
    'x-access': access,
    // A route open to anyone where some requests need a key: no key, or the bearer key.
    security: securityOf(access),
    ...(access === 'public' ? {} : { middleware: MIDDLEWARE[access] }),
    responses: Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
    ) as typeof responses & R['responses'],
  });
}

function securityOf(access: Access): { bearerAuth: string[] }[] {
  if (access === 'public') return [];
  // Open to anyone, some requests with a key: no security requirement, or the bearer key.
  if (access === 'public-staff-for-past') return [{} as { bearerAuth: string[] }, { bearerAuth: [] }];
  return [{ bearerAuth: [] }];
}

/** A route's access rule, as declared with route(). */
export function accessOf(r: { 'x-access': Access }): Access {
  return r['x-access'];
}
