// Pages on another origin (a city's own map, a dashboard on its intranet) read the API with fetch:
// every header the API documents must be readable there, on answers and on problems alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_HEADERS } from '../../shared/http/app';
import { openApp, storeKinds } from '../support/stores';

const ORIGIN = { origin: 'https://maps.example.org' };
const exposed = (res: Response) =>
  (res.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());

describe.each(storeKinds())('CORS on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
    const lot = {
      name: 'Cors',
      location: { lat: 52.48, lon: -1.9 },
      capacity: 40,
      type: 'garage',
      timeZone: 'UTC',
    };
    expect((await t.request('/v1/lots/cors', { method: 'PUT', headers: t.staff, json: lot })).status).toBe(
      201,
    );
  });
  afterAll(() => t.close());

  it('lets another origin read the NGSI-LD context link', async () => {
    const res = await t.request('/ngsi-ld/v1/entities/urn:ngsi-ld:OffStreetParking:cors', {
      headers: { ...ORIGIN, accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('link')).toBeTruthy();
    expect(exposed(res)).toContain('link');
  });

  it('exposes every documented header on a problem too', async () => {
    const res = await t.request('/v1/reports/utilization?zone=nowhere', {
      headers: { ...ORIGIN, authorization: 'Bearer pf_nope.wrong' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    for (const name of EXPOSED_HEADERS) expect(exposed(res)).toContain(name);
  });

  it('names the CSV cursor and read counts among the exposed headers', () => {
    for (const name of ['x-next-cursor', 'x-items-read', 'x-raw-observations-read', 'retry-after']) {
      expect(EXPOSED_HEADERS as readonly string[]).toContain(name);
    }
  });
});
