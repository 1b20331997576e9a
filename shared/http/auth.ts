// Bearer-key authentication and role checks (CONTRACT §1). Missing or invalid key → 401;
// a valid key without the right role or lot → 403.
import type { MiddlewareHandler } from 'hono';
import type { ApiKey } from '../store/api-keys';
import type { KeysPort } from '../use-cases/ports';
import { ApiError } from './problem';
import type { FailureThrottle } from './throttle';

export type AuthEnv = { Variables: { apiKey: ApiKey } };

const BEARER = /^Bearer ([\x21-\x7e]{16,512})$/;

/** The client a request comes from, as API Gateway (or a local proxy) reports it. */
function clientOf(header: string | undefined): string {
  return header?.split(',')[0]?.trim() || 'direct';
}

function authenticate(keys: KeysPort, throttle: FailureThrottle): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const client = clientOf(c.req.header('x-forwarded-for'));
    const wait = throttle.retryAfter(client);
    if (wait > 0) {
      throw new ApiError(429, 'too many failed authentications; wait before trying again', undefined, {
        'retry-after': String(wait),
      });
    }
    const header = c.req.header('authorization');
    const fail = (detail: string) => {
      throttle.recordFailure(client);
      return unauthorized(detail);
    };
    if (header === undefined) throw fail('an API key is required: Authorization: Bearer <secret>');
    const match = BEARER.exec(header);
    if (!match) throw fail('the Authorization header must be "Bearer <secret>"');
    const key = await keys.authenticate(match[1]!);
    if (key === null) throw fail('the API key is not valid or was revoked');
    c.set('apiKey', key);
    await next();
  };
}

function unauthorized(detail: string) {
  return new ApiError(401, detail, undefined, { 'www-authenticate': 'Bearer' });
}

/** Staff routes. */
export function requireStaff(keys: KeysPort, throttle: FailureThrottle): MiddlewareHandler<AuthEnv>[] {
  return [
    authenticate(keys, throttle),
    async (c, next) => {
      if (c.get('apiKey').role !== 'staff') throw new ApiError(403, 'this route needs a staff key');
      await next();
    },
  ];
}

/** Observations of one lot: a sensor key listing the lot, or a staff key. */
export function requireLotWriter(keys: KeysPort, throttle: FailureThrottle): MiddlewareHandler<AuthEnv>[] {
  return [
    authenticate(keys, throttle),
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
