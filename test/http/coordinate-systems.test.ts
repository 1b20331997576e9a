// crs=wgs84|gcj02|bd09 through the real app on both stores (README "Coordinate systems"):
// coordinates in and out in the request's system, stored and measured in WGS-84.
import { getDistance } from 'geolib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshClusters } from '../../shared/use-cases/manage-lots';
import { openApp, storeKinds } from '../support/stores';

// West Lake, Hangzhou (WGS-84), where GCJ-02 is about 500 m off.
const WEST_LAKE = { lat: 30.2592, lon: 120.1307 };
type Point = { lat: number; lon: number };
const metres = (a: Point, b: Point) => getDistance(a, b, 0.01);

const lotBody = (location: Point, over: Record<string, unknown> = {}) => ({
  name: 'CRS Lot',
  location,
  capacity: 50,
  type: 'surface',
  timeZone: 'Asia/Shanghai',
  ...over,
});

describe.each(storeKinds())('coordinate systems on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = (id: string, body: unknown, crs?: string) =>
    t.request(`/v1/lots/${id}${crs ? `?crs=${crs}` : ''}`, { method: 'PUT', headers: t.staff, json: body });
  const get = async (id: string, crs?: string) =>
    (await t.request(`/v1/lots/${id}${crs ? `?crs=${crs}` : ''}`)).json() as Promise<{ location: Point }>;
  const observe = (id: string) =>
    t.request(`/v1/lots/${id}/observations`, {
      method: 'POST',
      headers: t.staff,
      json: {
        observations: [
          { eventId: `e-${id}`, observedAt: new Date(t.clock.now()).toISOString(), occupied: 1 },
        ],
      },
    });

  it.each(['gcj02', 'bd09'])('converts WGS-84 → %s → WGS-84 through the API within 1 m', async (crs) => {
    expect((await put(`wgs-${crs}`, lotBody(WEST_LAKE))).status).toBe(201);
    const shown = (await get(`wgs-${crs}`, crs)).location;
    // The offset is real there (GCJ-02 ~500 m, BD-09 ~1 km): the answer was converted.
    expect(metres(shown, WEST_LAKE)).toBeGreaterThan(300);
    expect(metres(shown, WEST_LAKE)).toBeLessThan(1500);
    // Given back in that system, it is stored where it was.
    const created = await put(`back-${crs}`, lotBody(shown), crs);
    expect(created.status).toBe(201);
    expect(metres((await created.json()).location, shown)).toBeLessThan(1);
    expect(metres((await get(`back-${crs}`)).location, WEST_LAKE)).toBeLessThan(1);
  });

  it('answers a nearby query given in GCJ-02 with WGS-84-true distances and GCJ-02 locations', async () => {
    const east = { lat: WEST_LAKE.lat, lon: WEST_LAKE.lon + 0.01 }; // ~960 m east, in WGS-84
    expect((await put('near-a', lotBody(WEST_LAKE))).status).toBe(201);
    expect((await put('near-b', lotBody(east))).status).toBe(201);
    await observe('near-a');
    await observe('near-b');
    const origin = (await get('near-a', 'gcj02')).location; // where AMap shows lot a
    const res = await t.request(
      `/v1/lots/nearby?lat=${origin.lat}&lon=${origin.lon}&radius=2000&crs=gcj02&limit=100`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      origin: Point;
      lots: { id: string; distance: number; location: Point }[];
    };
    expect(body.origin).toEqual(origin);
    const a = body.lots.find((l) => l.id === 'near-a')!;
    const b = body.lots.find((l) => l.id === 'near-b')!;
    expect(a.distance).toBeLessThanOrEqual(1);
    expect(Math.abs(b.distance - getDistance(WEST_LAKE, east))).toBeLessThanOrEqual(1);
    expect(metres(a.location, origin)).toBeLessThan(1);
    // The same numbers read as WGS-84 are ~500 m off: the crs is what made the difference.
    const naive = await (
      await t.request(`/v1/lots/nearby?lat=${origin.lat}&lon=${origin.lon}&radius=2000`)
    ).json();
    expect(naive.lots.find((l: { id: string }) => l.id === 'near-a').distance).toBeGreaterThan(300);

    const geo = await t.request(`/v1/lots/nearby?lat=${origin.lat}&lon=${origin.lon}&radius=2000&crs=gcj02`, {
      headers: { accept: 'application/geo+json' },
    });
    const feature = (await geo.json()).features.find((f: { id: string }) => f.id === 'near-a');
    expect(
      metres({ lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] }, origin),
    ).toBeLessThan(1);
  });

  it('reads a box in GCJ-02 and lists its lots there', async () => {
    expect((await put('box-lot', lotBody({ lat: 30.3, lon: 120.2 }))).status).toBe(201);
    const at = (await get('box-lot', 'gcj02')).location;
    const around = (p: Point, d: number) => `${p.lon - d},${p.lat - d},${p.lon + d},${p.lat + d}`;
    const ids = async (q: string) =>
      ((await (await t.request(`/v1/lots?${q}`)).json()).lots as { id: string }[]).map((l) => l.id);
    expect(await ids(`bbox=${around(at, 0.001)}&crs=gcj02`)).toContain('box-lot');
    // A 200 m box around the WGS-84 point, read as GCJ-02, is ~500 m from the lot.
    expect(await ids(`bbox=${around({ lat: 30.3, lon: 120.2 }, 0.001)}&crs=gcj02`)).not.toContain('box-lot');
    expect(await ids(`bbox=${around({ lat: 30.3, lon: 120.2 }, 0.001)}`)).toContain('box-lot');
  });

  it('writes the clusters of a large box in GCJ-02, read from a box given in GCJ-02', async () => {
    await refreshClusters(t.deps);
    const res = await t.request('/v1/lots?bbox=73,18,135,54&crs=gcj02');
    const body = (await res.json()) as { clusters: { location: Point; lots: number; bbox: number[] }[] };
    const plain = (await (await t.request('/v1/lots?bbox=73,18,135,54')).json()) as typeof body;
    expect(body.clusters.reduce((n, c) => n + c.lots, 0)).toBe(
      plain.clusters.reduce((n, c) => n + c.lots, 0),
    );
    const shifted = body.clusters.map((c, i) => metres(c.location, plain.clusters[i]!.location));
    for (const d of shifted) expect(d).toBeGreaterThan(300); // all of them are around Hangzhou
  });

  it('imports rows given in GCJ-02 and patches a location given in BD-09', async () => {
    const g = (await get('wgs-gcj02', 'gcj02')).location;
    const csv = `id,name,lat,lon,capacity\nimported-gcj,Imported,${g.lat},${g.lon},20\n`;
    const res = await t.request('/v1/lots:import?timeZone=Asia/Shanghai&crs=gcj02', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).created).toBe(1);
    expect(metres((await get('imported-gcj')).location, WEST_LAKE)).toBeLessThan(1);

    const b = (await get('wgs-bd09', 'bd09')).location;
    const patched = await t.request('/v1/lots/imported-gcj?crs=bd09', {
      method: 'PATCH',
      headers: t.staff,
      json: { location: b },
    });
    expect(patched.status).toBe(200);
    expect(metres((await get('imported-gcj')).location, WEST_LAKE)).toBeLessThan(1);
  });

  it('leaves points outside China as they are in GCJ-02 (as gcoord does), and refuses another crs', async () => {
    const brum = { lat: 52.477, lon: -1.894 };
    expect((await put('outside', lotBody(brum, { timeZone: 'Europe/London' }), 'gcj02')).status).toBe(201);
    expect((await get('outside')).location).toEqual(brum);
    expect((await get('outside', 'gcj02')).location).toEqual(brum);
    const bad = await t.request('/v1/lots/outside?crs=epsg3857');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: 'crs' })]);
  });
});
