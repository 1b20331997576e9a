// Outbound HTTP for feed sources (README "Feeds a city already has"). A URL that staff give is
// fetched by the service from inside its network, so it must not reach what only the service can
// reach (server-side request forgery): the instance metadata service, loopback, private networks.
// - `https:` only, and a host that resolves to public unicast addresses only (every address it
//   resolves to: a name with one private address is refused).
// - The check is made by the connection's own DNS lookup, and the connection goes to the address
//   that was checked: a name cannot resolve to a public address for the check and to a private
//   one for the connection (DNS rebinding). IP literals, which skip the lookup, are checked first.
// - Redirects (at most 3) are followed by hand, each one checked the same way; the source's headers
//   go only to its own origin.
// - Each fetch ends within `timeoutMs` (connect, headers and body together), and a body over
//   `maxBytes` is cut off and refused.
// `allowPrivate` (ALLOW_PRIVATE_SOURCES=true: tests, closed networks) lifts the address and scheme
// rules, never the time and size bounds.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { FeedFetcherPort, FetchedFeed } from '../use-cases/ports';

export interface FeedFetcherOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /**
   * For tests of the rules themselves, which need a server this machine can run: the addresses
   * that count as public (default: isPublicAddress), and whether plain http is fetched too.
   */
  addressAllowed?: (address: string) => boolean;
  allowHttp?: boolean;
}

export const FEED_LIMITS = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 3 } as const;

/** Whether an address is public unicast (an IPv4-mapped IPv6 address counts as its IPv4 one). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

class RefusedError extends Error {}

export class HttpFeedFetcher implements FeedFetcherPort {
  private readonly limits: Required<FeedFetcherOptions>;
  constructor(options: FeedFetcherOptions) {
    this.limits = { addressAllowed: isPublicAddress, allowHttp: false, ...FEED_LIMITS, ...options };
  }

  private allowed(address: string): boolean {
    return this.limits.allowPrivate || this.limits.addressAllowed(address);
  }

  async refuse(url: string): Promise<string | null> {
    const syntax = this.refuseSyntax(url);
    if (syntax !== null || this.limits.allowPrivate) return syntax;
    const { hostname } = new URL(url);
    const host = hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return null; // refuseSyntax checked it
    try {
      const addresses = await new Promise<LookupAddress[]>((done, fail) =>
        dnsLookup(host, { all: true }, (error, found) => (error ? fail(error) : done(found))),
      );
      const bad = addresses.find((a) => !this.allowed(a.address));
      if (bad) return `${host} resolves to ${bad.address}, which is not a public address`;
      return null;
    } catch (error) {
      return `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
  }

  async fetch(url: string, headers: Record<string, string>): Promise<FetchedFeed> {
    const deadline = AbortSignal.timeout(this.limits.timeoutMs);
    const origin = new URL(url).origin;
    let current = url;
    try {
      for (let redirects = 0; ; redirects++) {
        const refused = this.refuseSyntax(current);
        if (refused !== null) return { error: `refused ${current}: ${refused}` };
        const sameOrigin = new URL(current).origin === origin;
        const response = await this.get(current, sameOrigin ? headers : {}, deadline);
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location !== undefined) {
          response.resume();
          if (redirects >= this.limits.maxRedirects) {
            return { error: `more than ${this.limits.maxRedirects} redirects` };
          }
          current = new URL(response.headers.location, current).toString();
          continue;
        }
        if (status < 200 || status > 299) {
          response.resume();
          return { error: `HTTP ${status} from ${current}` };
        }
        return await this.readBody(response);
      }
    } catch (error) {
      if (deadline.aborted) return { error: `no complete answer within ${this.limits.timeoutMs / 1000} s` };
      if (error instanceof RefusedError) return { error: `refused: ${error.message}` };
      const code = (error as NodeJS.ErrnoException).code;
      return { error: `unreachable: ${code ?? (error as Error).message}` };
    }
  }

  /** The rules a URL's text must keep: scheme, and an IP literal's range. */
  private refuseSyntax(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'not a URL';
    }
    if (this.limits.allowPrivate) {
      return parsed.protocol === 'https:' || parsed.protocol === 'http:'
        ? null
        : 'only http(s) URLs are fetched';
    }
    if (parsed.protocol !== 'https:' && !(this.limits.allowHttp && parsed.protocol === 'http:')) {
      return 'only https URLs are fetched';
    }
    if (parsed.username || parsed.password) return 'credentials in the URL are not accepted (use headers)';
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.allowed(host)) return `${host} is not a public address`;
    return null;
  }

  private get(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
    const parsed = new URL(url);
    const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((done, fail) => {
      const req = request(
        parsed,
        {
          method: 'GET',
          headers: { accept: 'application/json, application/ld+json;q=0.9, */*;q=0.1', ...headers },
          signal,
          lookup: this.lookup,
        },
        done,
      );
      req.on('error', fail);
      req.end();
    });
  }

  /** The connection's DNS lookup: every address checked, and only checked ones handed back. */
  private readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((a) => !this.allowed(a.address));
      if (bad || addresses.length === 0) {
        const refused = new RefusedError(
          `${hostname} resolves to ${bad?.address ?? 'nothing'}, not a public address`,
        );
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  private readBody(response: IncomingMessage): Promise<FetchedFeed> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.limits.maxBytes) {
      response.destroy();
      return Promise.resolve({
        error: `the feed is ${declared} bytes; at most ${this.limits.maxBytes} are read`,
      });
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (result: FetchedFeed) => {
        if (!settled) resolve(result);
        settled = true;
      };
      const fail = (error: unknown) => {
        if (!settled) reject(error);
        settled = true;
      };
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.limits.maxBytes) {
          done({ error: `the feed is over ${this.limits.maxBytes} bytes; at most that many are read` });
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => done({ body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', fail);
      response.on('aborted', () => fail(new Error('the connection closed mid-answer')));
    });
  }
}
