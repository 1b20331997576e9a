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
