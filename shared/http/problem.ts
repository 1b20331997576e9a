// RFC 9457 problem details: the one shape every error takes (CONTRACT §1).
import type { Context } from 'hono';

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

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

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

export function problemResponse(
  c: Context,
  status: number,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problemBody(status, detail, errors)), {
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
