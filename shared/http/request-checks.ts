// The checks every /v1 request passes before its route (README "API summary"): a query parameter
// once, one spelling of the Content-Type, bodies of at most BODY_LIMIT_BYTES, UTF-8 text bodies.
import { format as formatMediaType, parse as parseMediaType } from 'content-type';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BODY_LIMIT_BYTES } from './limits';
import { problemResponse } from './problem';

export { BODY_LIMIT_BYTES };

/** In the order they run. */
export const requestChecks: MiddlewareHandler[] = [
  rejectRepeatedQueryParameters,
  canonicalContentType,
  bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: (c) => problemResponse(c, 413, `request bodies are limited to ${BODY_LIMIT_BYTES} bytes`),
  }),
  rejectInvalidUtf8,
];

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
export function mediaTypeOf(c: Context): string | undefined {
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
