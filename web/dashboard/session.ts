// The staff key and every API call made with it. The key lives in this tab's sessionStorage (gone
// when the tab closes) and travels only in the Authorization header, never in a URL. An answer
// that says the key is not (or no longer) good signs the page out with the reason.
import { apiUrl, problemText } from '../lib/api';
import type { ApiPath, ApiResponses } from '../lib/api-types';
import { t } from '../lib/i18n';
import { alertBox, ui } from './ui';

const KEY_STORE = 'parking.staffKey';

/** The call failed because of the key; the page has signed out and said why. */
export class AuthError extends Error {}

/** A 503 with Retry-After: the service will answer later (e.g. a forecast model not fitted yet). */
export class NotYetError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

let key: string | null = sessionStorage.getItem(KEY_STORE);
const signOutListeners: (() => void)[] = [];

export function signedIn(): boolean {
  return key !== null;
}

export function whenSignedOut(listener: () => void): void {
  signOutListeners.push(listener);
}

/** Tries a key with one staff call; keeps it only if the service accepts it. */
export async function signIn(candidate: string): Promise<void> {
  key = candidate;
  try {
    await api('/v1/reports/health');
  } catch (err) {
    if (!(err instanceof AuthError)) key = null;
    throw err;
  }
  sessionStorage.setItem(KEY_STORE, candidate);
}

export function signOut(text: string): void {
  key = null;
  sessionStorage.removeItem(KEY_STORE);
  for (const listener of signOutListeners) listener();
  ui.app.hidden = true;
  ui.signin.hidden = false;
  ui.signout.hidden = true;
  alertBox(text);
  ui.key.focus();
}

/** GET a staff route's JSON. Throws AuthError (after signing out) or an Error with the problem's words. */
export async function api<P extends ApiPath>(path: P, query?: URLSearchParams): Promise<ApiResponses[P]> {
  const res = await call(apiUrl(path, query), 'application/json');
  return await res.json();
}

/** GET a report as CSV (the same figures, one header line). */
export async function apiCsv(path: '/v1/reports/utilization', query: URLSearchParams): Promise<Blob> {
  return await (await call(apiUrl(path, query), 'text/csv')).blob();
}

async function call(url: string, accept: string): Promise<Response> {
  if (key === null) throw new AuthError('signed out'); // a refresh that fell due after signing out
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept } });
  } catch {
    throw new Error(t('dash.unreachable'));
  }
  if (res.status === 401 || res.status === 403 || res.status === 429) {
    const text = await refusal(res);
    signOut(text);
    throw new AuthError(text);
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  if (res.status === 503 && Number.isInteger(retryAfter) && retryAfter > 0) {
    throw new NotYetError(await problemText(res), retryAfter);
  }
  if (!res.ok) throw new Error(await problemText(res));
  return res;
}

async function refusal(res: Response): Promise<string> {
  if (res.status === 429) {
    return t('dash.throttled', { seconds: res.headers.get('retry-after') ?? t('dash.aFew') });
  }
  const detail = await problemText(res);
  return res.status === 401 ? t('dash.unauthorized', { detail }) : t('dash.forbidden', { detail });
}
