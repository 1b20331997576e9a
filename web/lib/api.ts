// The pages' one way to call the API: GET a route of ApiResponses with a query, and read its answer
// as that route's type. The answers are not parsed again here (zod stays out of the page): the
// server writes them through handlers type-checked against the same schemas.
import type { ApiPath, ApiResponses, Problem } from './api-types';

export function apiUrl(path: ApiPath, query?: URLSearchParams): string {
  const search = query?.toString();
  return search ? `${path}?${search}` : path;
}

/** The response, and its JSON body when it is a 2xx (null otherwise: read the problem from `res`). */
export interface ApiAnswer<P extends ApiPath> {
  res: Response;
  body: ApiResponses[P] | null;
}

export async function getJson<P extends ApiPath>(
  path: P,
  query?: URLSearchParams,
  init: RequestInit = {},
): Promise<ApiAnswer<P>> {
  const headers = new Headers(init.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const res = await fetch(apiUrl(path, query), { ...init, headers });
  if (!res.ok) return { res, body: null };
  const body: ApiResponses[P] = await res.json();
  return { res, body };
}

/** The detail of a problem+json answer (with the fields it names), or a plain sentence. */
export async function problemText(res: Response): Promise<string> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return `the service answered ${res.status} ${res.statusText}`;
  }
  // Read defensively: a proxy or gateway may answer with JSON that is not a problem.
  const fields = (hasField(body, 'errors') && Array.isArray(body.errors) ? body.errors : [])
    .filter(isFieldError)
    .map((e) => `${e.path} ${e.message}`)
    .join('; ');
  const detail = hasField(body, 'detail') && typeof body.detail === 'string' ? body.detail : '';
  const title = hasField(body, 'title') && typeof body.title === 'string' ? body.title : '';
  return (detail || title || `error ${res.status}`) + (fields ? ` (${fields})` : '');
}

type FieldError = NonNullable<Problem['errors']>[number];

function hasField<K extends string>(value: unknown, name: K): value is Record<K, unknown> {
  return typeof value === 'object' && value !== null && name in value;
}

function isFieldError(e: unknown): e is FieldError {
  return (
    hasField(e, 'path') &&
    typeof e.path === 'string' &&
    hasField(e, 'message') &&
    typeof e.message === 'string'
  );
}
