// Every route × every kind of caller, generated from the route table: a new route cannot be
// forgotten, because its access level (ROUTE_ACCESS) decides what each caller must get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoutes, ROUTE_ACCESS } from '../../shared/http/routes';
import { openApp } from '../support/stores';

type Caller = 'none' | 'malformed' | 'unknown' | 'revoked' | 'sensorOther' | 'sensorOwn' | 'staff';
const CALLERS: Caller[] = ['none', 'malformed', 'unknown', 'revoked', 'sensorOther', 'sensorOwn', 'staff'];

/** What each access level must answer to each caller, before any validation of the request. */
function expected(access: 'public' | 'staff' | 'lot-writer', caller: Caller): 'ok' | 401 | 403 {
  if (access === 'public') return 'ok';
  if (caller === 'none' || caller === 'malformed' || caller === 'unknown' || caller === 'revoked') return 401;
  if (caller === 'staff') return 'ok';
  if (access === 'lot-writer' && caller === 'sensorOwn') return 'ok';
  return 403;
}

describe('authentication and authorization matrix', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const secrets: Partial<Record<Caller, string>> = {};
  beforeAll(async () => {
    t = await openApp('dynalite');
    await t.request('/v1/lots/own', {
      method: 'PUT',
      headers: t.staff,
      json: {
        name: 'Own',
        location: { lat: 52.48, lon: -1.9 },
        capacity: 10,
        type: 'surface',
        timeZone: 'UTC',
      },
    });
    const create = async (body: unknown) =>
      (await (await t.request('/v1/keys', { method: 'POST', headers: t.staff, json: body })).json()) as {
        keyId: string;
        secret: string;
      };
    secrets.sensorOwn = (await create({ role: 'sensor', lots: ['own'], label: 'own' })).secret;
    secrets.sensorOther = (await create({ role: 'sensor', lots: ['other'], label: 'other' })).secret;
    const revoked = await create({ role: 'staff', label: 'gone' });
    await t.request(`/v1/keys/${revoked.keyId}`, { method: 'DELETE', headers: t.staff });
    secrets.revoked = revoked.secret;
    secrets.unknown = 'pf_nosuchkey.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    secrets.staff = t.staff.authorization.slice('Bearer '.length);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  function headersFor(caller: Caller): Record<string, string> {
    if (caller === 'none') return {};
    if (caller === 'malformed') return { authorization: 'Basic dXNlcjpwYXNz' };
    return { authorization: `Bearer ${secrets[caller]}` };
  }

  const routes = Object.entries(defineRoutes({} as never)) as [
    keyof typeof ROUTE_ACCESS,
    { method: string; path: string },
  ][];

  it('covers every route of the app', () => {
    expect(routes.map(([name]) => name).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  for (const [name, route] of routes) {
    for (const caller of CALLERS) {
      const want = expected(ROUTE_ACCESS[name], caller);
      it(`${route.method.toUpperCase()} ${route.path} as ${caller} → ${want === 'ok' ? 'not 401/403' : want}`, async () => {
        const path = route.path.replace('{id}', 'own').replace('{keyId}', 'nosuchkey');
        const body = route.method === 'get' || route.method === 'delete' ? undefined : '{}';
        const res = await t.request(
          `${path}${path.includes('reports') ? '?from=2026-01-01&to=2026-01-02' : ''}`,
          {
            method: route.method.toUpperCase(),
            headers: { ...headersFor(caller), ...(body ? { 'content-type': 'application/json' } : {}) },
            ...(body ? { body } : {}),
          },
        );
        if (want === 'ok') {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(want);
          expect(res.headers.get('content-type')).toBe('application/problem+json');
        }
      });
    }
  }
});
