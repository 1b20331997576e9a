// Who a client is, for the failed-authentication throttle (README "Limits"): the address the
// connection comes from, as the runtime saw it. Never X-Forwarded-For or any other header a client
// can write: a fresh value per try would escape the throttle, and naming someone else's address
// would throttle them.
import { isIP } from 'node:net';
import type { Context } from 'hono';

/** Finds the connection's source address; undefined when the runtime gives none. */
export type ClientAddress = (c: Context) => string | undefined;

/** No runtime information: every client is the same one (safe; valid keys are always served). */
export const UNKNOWN_CLIENT_ADDRESS: ClientAddress = () => undefined;

/**
 * API Gateway's own record of the source address (HTTP API v2: `requestContext.http.sourceIp`;
 * REST v1: `requestContext.identity.sourceIp`), which hono's Lambda adapter passes in `c.env`.
 * Not hono's `getConnInfo` from `hono/aws-lambda`: where the event has neither, that falls back
 * to X-Forwarded-For.
 */
export const apiGatewaySourceIp: ClientAddress = (c) => {
  const context = (
    c.env as
      | { requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } } }
      | undefined
  )?.requestContext;
  const ip = context?.http?.sourceIp ?? context?.identity?.sourceIp;
  return typeof ip === 'string' ? ip : undefined;
};

/**
 * The throttle bucket of an address: IPv4 as is (an IPv4-mapped IPv6 address is its IPv4), IPv6
 * by its /64 prefix, since one subscriber is usually given a whole /64 and could rotate within it.
 */
export function throttleBucket(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const bare = address.replace(/%.*$/, ''); // an IPv6 zone index (fe80::1%eth0) is not part of it
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIP(bare) === 4) return bare;
  if (isIP(bare) === 6) return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
  return `other:${bare.slice(0, 64)}`;
}

/** The eight 16-bit groups of a valid IPv6 address, as lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const expand = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const [head = '', tail] = address.split('::');
  const h = expand(head);
  const t = tail === undefined ? [] : expand(tail);
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => Number.parseInt(g, 16).toString(16));
}
