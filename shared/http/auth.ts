// Bearer-key authentication and role checks (README "API summary"). Missing or invalid key → 401;
// a valid key without the right role or lot → 403; a client (by source address) that failed too
// often → 429 for its failures, while its requests with a valid key are still served.
import type { MiddlewareHandler } from 'hono';
import type { AuthenticatedKey, KeysPort } from '../use-cases/ports';
import { type ClientAddress, throttleBucket, UNKNOWN_CLIENT_ADDRESS } from './client-address';
import { ApiError } from './problem';
import { FailureThrottle } from './throttle';

export type AuthEnv = { Variables: { apiKey: AuthenticatedKey } };

/** How failed authentications are counted: per client, by the connection's source address. */
export interface AuthGuard {
  throttle: FailureThrottle;
  clientAddress: ClientAddress;
}

export const defaultAuthGuard = (): AuthGuard => ({
  throttle: new FailureThrottle(Date.now),
  clientAddress: UNKNOWN_CLIENT_ADDRESS,
});

const BEARER = /^Bearer ([\x21-\x7e]{16,512})$/;

function authenticate(keys: KeysPort, guard: AuthGuard): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const client = throttleBucket(guard.clientAddress(c));
    // A failure is answered 429 while the client is throttled, 401 otherwise. The key is checked
    // first on purpose: whoever shares an address with a guesser (a NAT, a proxy) and holds a
    // valid key is served, so a guesser cannot lock staff and sensors out.
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
    if (header === undefined) throw fail('an API key is required: Authorization: Bearer <secret>');
    const match = BEARER.exec(header);
    if (!match) throw fail('the Authorization header must be "Bearer <secret>"');
    const key = await keys.authenticate(match[1]!);
    if (key === null) throw fail('the API key is not valid or was revoked');
    c.set('apiKey', key);
    await next();
  };
}

/** Staff routes. */
export function requireStaff(keys: KeysPort, guard: AuthGuard): MiddlewareHandler<AuthEnv>[] {
  return [
    authenticate(keys, guard),
    async (c, next) => {
      if (c.get('apiKey').role !== 'staff') throw new ApiError(403, 'this route needs a staff key');
      await next();
    },
  ];
}

/** Observations of one lot: a sensor key listing the lot, or a staff key. */
export function requireLotWriter(keys: KeysPort, guard: AuthGuard): MiddlewareHandler<AuthEnv>[] {
  return [
    authenticate(keys, guard),
    async (c, next) => {
      const key = c.get('apiKey');
      const lotId = c.req.param('id');
      if (key.role !== 'staff' && !(lotId !== undefined && key.lots?.includes(lotId))) {
        throw new ApiError(403, `this key may not write lot ${lotId}`);
      }
      await next();
    },
  ];
}
