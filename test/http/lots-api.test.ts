// The HTTP API end to end through the real Hono app, on both real DynamoDB API servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/http/route-table';
import { openApp, storeKinds } from '../support/stores';

const lotBody = (over: Record<string, unknown> = {}) => ({
  name: 'Bull Ring',
  location: { lat: 52.477, lon: -1.894 },
  capacity: 100,
  type: 'garage',
  features: ['ev'],
  zone: 'centre',
  timeZone: 'Europe/London',
  ...over,
});

describe.each(storeKinds())('lots API on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]); // no request in this suite may end in an unexpected 500
    await t.close();
  });

  const put = (id: string, body: unknown) =>
    t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: body });
  const observe = (id: string, observations: unknown[], headers: Record<string, string> = t.staff) =>
    t.request(`/v1/lots/${id}/observations`, { method: 'POST', headers, json: { observations } });
  const iso = (offsetMs: number) => new Date(t.clock.now() + offsetMs).toISOString();

  it('creates a lot with 201, replaces it with 200 and reads it back', async () => {
    const created = await put('bull-ring', lotBody());
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      id: 'bull-ring',
      status: 'nodata',
      occupied: null,
      free: null,
    });
    const replaced = await put('bull-ring', lotBody({ capacity: 120 }));
    expect(replaced.status).toBe(200);
    const got = await t.request('/v1/lots/bull-ring');
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      capacity: 120,
      features: ['ev'],
      zone: 'centre',
      staleAfterSeconds: 3600,
    });
  });

  it('refuses the id nearby, which GET /v1/lots/nearby could never read back', async () => {
    const res = await put('nearby', lotBody());
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: 'id', message: expect.stringContaining('reserved') }]);
    const import_ = await t.request('/v1/lots:import?timeZone=Europe/London', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': 'text/csv' },
      body: 'name,lat,lon,capacity,type\nNearby,52.477,-1.894,30,garage',
    });
    expect(await import_.json()).toMatchObject({
      created: 0,
      rejected: [{ row: 1, reason: expect.stringContaining('reserved') }],
    });
    expect((await t.request('/v1/lots/nearby?lat=52.477&lon=-1.894')).status).toBe(200);
  });

  it('applies an absolute count and shows free spaces, freshness and status', async () => {
    await put('count-lot', lotBody({ capacity: 50 }));
    const res = await observe('count-lot', [{ eventId: 'c1', observedAt: iso(-120_000), occupied: 45 }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      results: [{ eventId: 'c1', outcome: 'applied' }],
      applied: 1,
      duplicates: 0,
      stale: 0,
    });
    const lot = await (await t.request('/v1/lots/count-lot')).json();
    expect(lot).toMatchObject({
      occupied: 45,
      free: 5,
      occupancy: 0.9,
      status: 'available',
      dataAge: 120,
      flags: [],
    });
    expect(lot.observedAt).toBe(iso(-120_000));
  });

  it('ignores a count older than the one applied, but reports it as stale', async () => {
    await put('order-lot', lotBody({ capacity: 50 }));
    await observe('order-lot', [{ eventId: 'new', observedAt: iso(-60_000), occupied: 10 }]);
    const res = await observe('order-lot', [{ eventId: 'old', observedAt: iso(-600_000), occupied: 40 }]);
    expect((await res.json()).results).toEqual([{ eventId: 'old', outcome: 'stale' }]);
    expect(await (await t.request('/v1/lots/order-lot')).json()).toMatchObject({ occupied: 10 });
  });

  it('applies the same event id once and rejects it with another body (409, nothing applied)', async () => {
    await put('dup-lot', lotBody({ capacity: 50 }));
    const first = await observe('dup-lot', [{ eventId: 'g1', observedAt: iso(-1000), entries: 3, exits: 0 }]);
    expect((await first.json()).applied).toBe(1);
    const again = await observe('dup-lot', [{ eventId: 'g1', observedAt: iso(-1000), entries: 3, exits: 0 }]);
    expect((await again.json()).results).toEqual([{ eventId: 'g1', outcome: 'duplicate' }]);
    const conflict = await observe('dup-lot', [
      { eventId: 'g2', observedAt: iso(-500), entries: 1, exits: 0 },
      { eventId: 'g1', observedAt: iso(-1000), entries: 4, exits: 0 },
    ]);
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toBe('application/problem+json');
    expect(await (await t.request('/v1/lots/dup-lot')).json()).toMatchObject({ occupied: 3 });
  });

  it('clamps over-capacity counts for drivers and flags them', async () => {
    await put('over-lot', lotBody({ capacity: 20 }));
    await observe('over-lot', [{ eventId: 'o1', observedAt: iso(-1000), occupied: 27 }]);
    expect(await (await t.request('/v1/lots/over-lot')).json()).toMatchObject({
      occupied: 20,
      free: 0,
      status: 'full',
      flags: ['over_capacity'],
    });
  });

  it('rejects an observation from more than 5 minutes in the future, naming it, with nothing applied', async () => {
    await put('future-lot', lotBody());
    const res = await observe('future-lot', [
      { eventId: 'ok', observedAt: iso(-1000), occupied: 5 },
      { eventId: 'bad', observedAt: iso(6 * 60_000), occupied: 6 },
    ]);
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([
      { path: 'observations[1].observedAt', message: 'is more than 5 minutes in the future' },
    ]);
    expect(await (await t.request('/v1/lots/future-lot')).json()).toMatchObject({ status: 'nodata' });
  });

  it('names every bad field of a batch and applies nothing', async () => {
    await put('schema-lot', lotBody());
    const res = await observe('schema-lot', [
      { eventId: 'a', observedAt: iso(-1000), occupied: 5 },
      { eventId: 'b', observedAt: 'yesterday', occupied: 5 },
      { eventId: 'c', observedAt: iso(-1000), occupied: 5, entries: 2, exits: 0 },
      { eventId: 'd', observedAt: iso(-1000), capacity: 999 },
    ]);
    expect(res.status).toBe(400);
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['observations[1].observedAt', 'observations[2]', 'observations[3]']),
    );
    expect(await (await t.request('/v1/lots/schema-lot')).json()).toMatchObject({ status: 'nodata' });
  });

  it('answers 401 without a key, 401 with a wrong one, 404 for an unknown lot', async () => {
    await put('x-lot', lotBody());
    expect((await t.request('/v1/lots/x-lot', { method: 'DELETE' })).status).toBe(401);
    const wrong = await t.request('/v1/lots/x-lot', {
      method: 'DELETE',
      headers: { authorization: 'Bearer pf_admin.not-the-right-secret-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await t.request('/v1/lots/no-such-lot')).status).toBe(404);
    expect((await t.request('/v1/lots/no-such-lot', { method: 'DELETE', headers: t.staff })).status).toBe(
      404,
    );
    expect((await observe('no-such-lot', [{ eventId: 'a', observedAt: iso(-1), occupied: 1 }])).status).toBe(
      404,
    );
  });

  it('answers 415 for a body that is not JSON and 413 for one over 256 KiB', async () => {
    const text = await t.request('/v1/lots/x-lot', {
      method: 'PUT',
      headers: { ...t.staff, 'content-type': 'text/plain' },
      body: JSON.stringify(lotBody()),
    });
    expect(text.status).toBe(415);
    const big = await t.request('/v1/lots/x-lot', {
      method: 'PUT',
      headers: { ...t.staff, 'content-type': 'application/json' },
      body: JSON.stringify(lotBody({ name: 'x'.repeat(300 * 1024) })),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('application/problem+json');
  });

  it('rejects unknown body fields, so a sensor cannot set capacity', async () => {
    const res = await put('strict-lot', { ...lotBody(), occupied: 3 });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/unrecognized|Unrecognized/);
  });

  it('closes and reopens a lot with PATCH, keeping its occupancy', async () => {
    await put('patch-lot', lotBody({ capacity: 10 }));
    await observe('patch-lot', [{ eventId: 'p1', observedAt: iso(-1000), occupied: 4 }]);
    const closed = await t.request('/v1/lots/patch-lot', {
      method: 'PATCH',
      headers: t.staff,
      json: { closed: true },
    });
    expect(await closed.json()).toMatchObject({ status: 'closed', occupied: 4 });
    const reopened = await t.request('/v1/lots/patch-lot', {
      method: 'PATCH',
      headers: t.staff,
      json: { closed: false },
    });
    expect(await reopened.json()).toMatchObject({ status: 'available', occupied: 4 });
  });

  it('lists history in observation-time order, each once', async () => {
    await put('hist-lot', lotBody());
    await observe('hist-lot', [
      { eventId: 'h3', observedAt: iso(-1000), occupied: 3 },
      { eventId: 'h1', observedAt: iso(-3000), occupied: 1 },
    ]);
    await observe('hist-lot', [
      { eventId: 'h2', observedAt: iso(-2000), entries: 1, exits: 0 },
      { eventId: 'h1', observedAt: iso(-3000), occupied: 1 },
    ]);
    const res = await t.request('/v1/lots/hist-lot/observations', { headers: t.staff });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.observations.map((o: { eventId: string }) => o.eventId)).toEqual(['h1', 'h2', 'h3']);
    expect(body.observations[1]).toMatchObject({ entries: 1, exits: 0, observedAt: iso(-2000) });
    expect(await (await t.request('/v1/lots/hist-lot')).json()).toMatchObject({ occupied: 3 });
  });

  it('rejects a repeated query parameter and non-decimal numbers', async () => {
    const repeated = await t.request('/v1/lots/nearby?lat=52.4&lat=52.5&lon=-1.9');
    expect(repeated.status).toBe(400);
    expect((await repeated.json()).errors).toEqual([{ path: 'lat', message: 'is repeated' }]);
    for (const bad of [
      'radius=1e3',
      'radius=0x10',
      'radius=',
      'radius=50001',
      'limit=0',
      'includeStale=yes',
    ]) {
      const res = await t.request(`/v1/lots/nearby?lat=52.4&lon=-1.9&${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).errors[0].path, bad).toBe(bad.split('=')[0]);
    }
  });

  it('serves /health, an OpenAPI 3.1 document with every route, and docs', async () => {
    expect(await (await t.request('/health')).json()).toEqual({ status: 'ok' });
    const doc = await (await t.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    // Every route the app registers is documented, with its method.
    const routes = routeTable().filter((r) => r.documented);
    for (const route of routes) expect(doc.paths[route.path]?.[route.method], route.path).toBeDefined();
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(routes.map((r) => r.path))].sort());
    const docs = await t.request('/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('answers unknown routes with a problem+json 404', async () => {
    const res = await t.request('/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
