// Every route × every kind of caller, generated from the route table: a new route cannot be
// forgotten, because the access rule declared with it (shared/http/resources/) decides what each
// caller must get. The
// `throttled…` callers come from a source address that has failed authentication 20 times this
// minute: their failures are 429s, their valid keys are served as anyone's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../shared/http/app';
import type { Access } from '../../shared/http/route';
import { routeTable } from '../../shared/http/route-table';
import { openApp } from '../support/stores';

type Key =
  | 'none'
  | 'malformed'
  | 'unknown'
  | 'revoked'
  | 'sensorOther'
  | 'sensorOwn'
  | 'staff'
  | 'integrationOther'
  | 'integrationOwn';
type Caller = Key | `throttled-${Key}`;
const KEYS: Key[] = [
  'none',
  'malformed',
  'unknown',
  'revoked',
  'sensorOther',
  'sensorOwn',
  'staff',
  'integrationOther',
  'integrationOwn',
];
const CALLERS: Caller[] = [...KEYS, ...KEYS.map((k) => `throttled-${k}` as const)];
const THROTTLED_IP = '198.51.100.66';

/**
 * What each access level must answer to each caller, before any validation of the request. A route
 * open to anyone but staff's for a past asOf is asked both ways: `past` = with an asOf an hour ago.
 */
function expected(access: Access, caller: Caller, past = false): 'ok' | 401 | 403 | 429 {
  if (access === 'public') return 'ok';
  if (access === 'public-staff-for-past' && !past) return 'ok';
  const throttled = caller.startsWith('throttled-');
  const key = caller.replace('throttled-', '') as Key;
  // A webhook takes its own integration's secret and nothing else: an API key, even staff, fails.
  if (access === 'integration') return key === 'integrationOwn' ? 'ok' : throttled ? 429 : 401;
  // An integration's secret is no API key.
  if (
    key === 'none' ||
    key === 'malformed' ||
    key === 'unknown' ||
    key === 'revoked' ||
    key === 'integrationOther' ||
    key === 'integrationOwn'
  ) {
    return throttled ? 429 : 401;
  }
  if (key === 'staff') return 'ok';
  if (access === 'lot-writer' && key === 'sensorOwn') return 'ok';
  // public-staff-for-past with a past asOf: as a staff route.
  return 403;
}

describe('authentication and authorization matrix', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  /** The same deps behind the production throttle, with the source address from the env. */
  let guarded: ReturnType<typeof createApp>;
  const secrets: Partial<Record<Key, string>> = {};
  beforeAll(async () => {
    t = await openApp('dynalite');
    for (const id of ['own', 'other']) {
      await t.request(`/v1/lots/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: {
          name: id,
          location: { lat: 52.48, lon: -1.9 },
          capacity: 10,
          type: 'surface',
          timeZone: 'UTC',
        },
      });
    }
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
    const integration = async (id: string) =>
      (
        (await (
          await t.request(`/v1/integrations/${id}`, {
            method: 'PUT',
            headers: t.staff,
            json: { network: 'tts', label: id },
          })
        ).json()) as { secret: string }
      ).secret;
    secrets.integrationOwn = await integration('own');
    secrets.integrationOther = await integration('other');

    guarded = createApp(t.deps, {
      onUnexpectedError: (e) => t.errors.push(e),
      clientAddress: (c) => (c.env as { sourceIp?: string }).sourceIp,
    });
    for (let i = 0; i < 20; i++) {
      const res = await guarded.request(
        '/v1/keys',
        { headers: { authorization: `Bearer pf_admin.guess-${i}-xxxxxxxxxxxx` } },
        { sourceIp: THROTTLED_IP },
      );
      expect(res.status).toBe(401);
    }
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  function headersFor(key: Key): Record<string, string> {
    if (key === 'none') return {};
    if (key === 'malformed') return { authorization: 'Basic dXNlcjpwYXNz' };
    return { authorization: `Bearer ${secrets[key]}` };
  }

  const routes = routeTable();

  it('covers every route of the app, each once', () => {
    const served = t.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/\/:(\w+)/g, '/{$1}')}`);
    const listed = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...new Set(served)].sort());
  });

  const variants = routes.flatMap((route) =>
    route.access === 'public-staff-for-past'
      ? [
          { route, past: false },
          { route, past: true },
        ]
      : [{ route, past: false }],
  );
  for (const { route, past } of variants) {
    for (const caller of CALLERS) {
      const want = expected(route.access, caller, past);
      const name = `${route.method.toUpperCase()} ${route.path}${past ? '?asOf=<an hour ago>' : ''}`;
      it(`${name} as ${caller} → ${want === 'ok' ? 'not 401/403' : want}`, async () => {
        const path = route.path
          .replace('{id}', 'own')
          .replace('{keyId}', 'nosuchkey')
          // Deleting the integration would leave the webhook's own secret nothing to match.
          .replace('{integrationId}', route.method === 'delete' ? 'nosuchintegration' : 'own')
          .replace('{deviceId}', 'dev1')
          .replace('{entityId}', 'urn:ngsi-ld:OffStreetParking:own');
        const body = route.method === 'get' || route.method === 'delete' ? undefined : '{}';
        const throttled = caller.startsWith('throttled-');
        const key = caller.replace('throttled-', '') as Key;
        const query = path.includes('reports')
          ? '?from=2026-01-01&to=2026-01-02'
          : past
            ? `?asOf=${new Date(t.clock.now() - 3_600_000).toISOString()}`
            : '';
        const url = `${path}${query}`;
        const init = {
          method: route.method.toUpperCase(),
          headers: { ...headersFor(key), ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        };
        const res = throttled
          ? await guarded.request(url, init, { sourceIp: THROTTLED_IP })
          : await t.app.request(url, init);
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
