// RFC 9457 problem details: the one shape every error takes (README "API summary").
import type { Context } from 'hono';
import { TITLES } from './problem-titles';

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

/** An error that becomes a problem response in app.onError. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function problemBody(status: number, detail: string, errors?: FieldError[]): Problem {
  const title = TITLES[status] ?? 'Error';
  return {
    type: `https://parking-finder.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
    title,
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/**
 * The NGSI-LD API's own error types (ETSI GS CIM 009), which its clients switch on; the statuses
 * it names no type for keep ours.
 */
const NGSI_LD_ERROR_TYPES: Record<number, string> = {
  400: 'BadRequestData',
  404: 'ResourceNotFound',
  500: 'InternalError',
};
const NGSI_LD_PREFIX = '/ngsi-ld/';

export function problemResponse(
  c: Context,
  status: number,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(status, detail, errors);
  const ngsiLdType = c.req.path.startsWith(NGSI_LD_PREFIX) ? NGSI_LD_ERROR_TYPES[status] : undefined;
  if (ngsiLdType !== undefined) body.type = `https://uri.etsi.org/ngsi-ld/errors/${ngsiLdType}`;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers, ...corsOf(c) },
  });
}

function corsOf(c: Context): Record<string, string> {
  const origin = c.res?.headers?.get('access-control-allow-origin');
  return origin ? { 'access-control-allow-origin': origin } : {};
}

/** zod issue paths → "observations[2].occupied". */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix?: string): string {
  let out = prefix ?? '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || (prefix ?? '(body)');
}
