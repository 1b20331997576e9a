// Bearer-key authentication and role checks (README "API summary"). Missing or invalid key → 401;
// a valid key without the right role or lot → 403; a client (by source address) that failed too
// often → 429 for its failures, while its requests with a valid key are still served. The checks
// are static middleware (so routes can be declared as constants, see route.ts): the app puts the
// keys port and the throttle in the context of every request (provideAuth).
import type { MiddlewareHandler } from 'hono';
import type { AuthenticatedKey, Integration, IntegrationsPort, KeysPort } from '../use-cases/ports';
import { type ClientAddress, throttleBucket } from './client-address';
import { ApiError } from './problem';
import type { FailureThrottle } from './throttle';

/** How failed authentications are counted: per client, by the connection's source address. */
export interface AuthGuard {
  keys: KeysPort;
  integrations: IntegrationsPort;
  /** The app's clock (deps.now), for checks that depend on time (a past asOf). */
  now: () => number;
  throttle: FailureThrottle;
  clientAddress: ClientAddress;
}

export type AuthEnv = {
  Variables: { apiKey: AuthenticatedKey; integration: Integration; authGuard: AuthGuard };
};

/** Makes the guard of this app available to the auth checks of every route. */
export function provideAuth(guard: AuthGuard): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('authGuard', guard);
    await next();
  };
}

const BEARER = /^Bearer ([\x21-\x7e]{16,512})$/;

/**
 * Reads the bearer secret and checks it with `check`; a missing, malformed or wrong one is a 401
 * (429 while the client is throttled).
 */
function bearer(
  needed: string,
  check: (c: Parameters<MiddlewareHandler<AuthEnv>>[0], secret: string) => Promise<string | null>,
) {
  const middleware: MiddlewareHandler<AuthEnv> = async (c, next) => {
    const guard = c.get('authGuard');
    const client = throttleBucket(guard.clientAddress(c));
    // A failure is answered 429 while the client is throttled, 401 otherwise. The secret is checked
    // first on purpose: whoever shares an address with a guesser (a NAT, a proxy) and holds a
    // valid secret is served, so a guesser cannot lock staff, sensors and networks out.
    const fail = (detail: string) => {
      const wait = guard.throttle.retryAfter(client);
      if (wait > 0) {
        return new ApiError(429, 'too many failed authentications; wait before trying again', undefined, {
          'retry-after': String(wait),
        });
      }
      guard.throttle.recordFailure(client);
      return new ApiError(401, detail, undefined, { 'www-authenticate': 'Bearer' });
    };
    const header = c.req.header('authorization');
    if (header === undefined) throw fail(`${needed} is required: Authorization: Bearer <secret>`);
    const match = BEARER.exec(header);
    if (!match) throw fail('the Authorization header must be "Bearer <secret>"');
    const problem = await check(c, match[1]!);
    if (problem !== null) throw fail(problem);
    await next();
  };
  return middleware;
}

const authenticate = bearer('an API key', async (c, secret) => {
  const key = await c.get('authGuard').keys.authenticate(secret);
  if (key === null) return 'the API key is not valid or was revoked';
  c.set('apiKey', key);
  return null;
});

/**
 * A network server's webhook: the secret of the integration in the path, and nothing else (an API
 * key, even a staff one, is not that secret: 401).
 */
export const requireIntegration: MiddlewareHandler<AuthEnv>[] = [
  bearer("the integration's secret", async (c, secret) => {
    const integrationId = c.req.param('integrationId') ?? '';
    const integration = await c.get('authGuard').integrations.authenticate(integrationId, secret);
    if (integration === null) return 'the secret is not the secret of this integration';
    c.set('integration', integration);
    return null;
  }),
];

const staffRole: MiddlewareHandler<AuthEnv> = async (c, next) => {
  if (c.get('apiKey').role !== 'staff') throw new ApiError(403, 'this route needs a staff key');
  await next();
};

/** Staff routes. */
export const requireStaff: MiddlewareHandler<AuthEnv>[] = [authenticate, staffRole];

/**
 * Public routes where some requests are staff's: when `needsStaff` says so for this request (a
 * forecast with a past asOf), the staff checks run as on a staff route; otherwise nothing is checked.
 * Runs before the query is validated: `needsStaff` must be false for anything it cannot read.
 */
export function requireStaffWhen(
  needsStaff: (c: Parameters<MiddlewareHandler<AuthEnv>>[0], now: number) => boolean,
): MiddlewareHandler<AuthEnv>[] {
  return [
    async (c, next) => {
      if (!needsStaff(c, c.get('authGuard').now())) return next();
      await authenticate(c, async () => {
        await staffRole(c, next);
      });
    },
  ];
}

/** Observations of one lot: a sensor key listing the lot, or a staff key. */
export const requireLotWriter: MiddlewareHandler<AuthEnv>[] = [
  authenticate,
  async (c, next) => {
    const key = c.get('apiKey');
    const lotId = c.req.param('id');
    if (key.role !== 'staff' && !(lotId !== undefined && key.lots?.includes(lotId))) {
      throw new ApiError(403, `this key may not write lot ${lotId}`);
    }
    await next();
  },
];
