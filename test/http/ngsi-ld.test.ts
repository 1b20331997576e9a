// The NGSI-LD API through the real app on both real stores: entities valid against the official
// Smart Data Models schema, their figures those of the lots' own answers, and a geo query's
// entities the lots the driver's nearby search (or the map's box) finds in the same place.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsOf, interopValidators, toKeyValues } from '../support/interop-schemas';
import { countStoreCalls } from '../support/store-calls';
import { openApp, storeKinds } from '../support/stores';

const v = interopValidators();
const CENTER = { lat: 52.48, lon: -1.9 };
const M = 1 / 111_195; // degrees of latitude per metre, about
type Entity = Record<string, unknown> & { id: string };
type LotAnswer = {
  id: string;
  free: number | null;
  capacity: number;
  occupied: number | null;
  occupancy: number | null;
  observedAt: string | null;
  status: string;
  location: { lat: number; lon: number };
};

describe.skipIf(v === null).each(storeKinds())('NGSI-LD entities on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const iso = (offsetMs: number) => new Date(t.clock.now() + offsetMs).toISOString();
  const put = (id: string, location: { lat: number; lon: number }, over: Record<string, unknown> = {}) =>
    t.request(`/v1/lots/${id}`, {
      method: 'PUT',
      headers: t.staff,
      json: { name: `Lot ${id}`, location, capacity: 40, type: 'garage', timeZone: 'UTC', ...over },
    });
  const count = (id: string, occupied: number, offsetMs: number) =>
    t.request(`/v1/lots/${id}/observations`, {
      method: 'POST',
      headers: t.staff,
      json: { observations: [{ eventId: `${id}-${offsetMs}`, observedAt: iso(offsetMs), occupied }] },
    });
  const north = (metres: number, east = 0) => ({
    lat: CENTER.lat + metres * M,
    lon: CENTER.lon + east * M * 1.64,
  });
  const get = async (path: string, accept = 'application/json') => {
    const res = await t.request(path, { headers: { accept } });
    return { res, body: await res.json() };
  };
  const valid = (kv: unknown) => (v!.offStreetParking(kv) ? [] : errorsOf(v!.offStreetParking));

  beforeAll(async () => {
    t = await openApp(kind);
    await put('fresh', north(100), { features: ['ev', 'accessible'], openingHours: '24/7' });
    await count('fresh', 10, -60_000);
    await put('full', north(300), { type: 'surface' });
    await count('full', 45, -60_000);
    await put('stale', north(500), { type: 'park_and_ride' });
    await count('stale', 12, -5 * 3600_000);
    await put('silent', north(200), { type: 'on_street' });
    await put('shut', north(150), { type: 'underground' });
    await count('shut', 3, -60_000);
    await t.request('/v1/lots/shut', { method: 'PATCH', headers: t.staff, json: { closed: true } });
    await put('far', north(3000));
    await count('far', 1, -60_000);
    // Two lots either side of the antimeridian.
    await put('east-of-180', { lat: 0, lon: 179.999 });
    await put('west-of-180', { lat: 0, lon: -179.999 });
    // A lot with reported bays, far from the others.
    await put('bays', { lat: 10, lon: 10 }, { staleAfterSeconds: 3600 });
    const bay = (eventId: string, spaceId: string, state: string, offsetMs: number) => ({
      eventId,
      observedAt: iso(offsetMs),
      spaceId,
      state,
    });
    await t.request('/v1/lots/bays/observations', {
      method: 'POST',
      headers: t.staff,
      json: {
        observations: [
          bay('b1', 'A1', 'occupied', -600_000),
          bay('b2', 'A2', 'vacant', -300_000),
          bay('b3', 'A3', 'occupied', -2 * 3600_000),
          bay('b4', 'A1', 'vacant', -60_000),
        ],
      },
    });
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it("answers one lot, valid in both forms, with the figures of the lot's own answer", async () => {
    for (const id of ['fresh', 'full', 'stale', 'silent', 'shut', 'far']) {
      const lot = (await (await t.request(`/v1/lots/${id}`)).json()) as LotAnswer;
      const { res, body: kv } = await get(
        `/ngsi-ld/v1/entities/urn:ngsi-ld:OffStreetParking:${id}?options=keyValues`,
      );
      expect(res.status).toBe(200);
      expect(valid(kv)).toEqual([]);
      const { body: n } = await get(`/ngsi-ld/v1/entities/urn:ngsi-ld:OffStreetParking:${id}`);
      expect(valid(toKeyValues(n))).toEqual([]);
      expect(toKeyValues(n)).toEqual(kv);
      expect(kv.totalSpotNumber).toBe(lot.capacity);
      expect(kv.location).toEqual({ type: 'Point', coordinates: [lot.location.lon, lot.location.lat] });
      if (lot.observedAt === null) {
        expect(kv).not.toHaveProperty('availableSpotNumber');
      } else {
        expect(kv).toMatchObject({
          availableSpotNumber: lot.free,
          occupiedSpotNumber: lot.occupied,
          occupancy: lot.occupancy,
        });
        expect(n.availableSpotNumber).toEqual({
          type: 'Property',
          value: lot.free,
          observedAt: lot.observedAt,
        });
      }
      expect(kv.status).toEqual(
        {
          available: ['open', 'spacesAvailable'],
          full: ['open', 'full'],
          stale: ['open'],
          nodata: ['open'],
          closed: ['closed'],
        }[lot.status],
      );
    }
  });

  it('puts the @context in the body for application/ld+json and in a Link header for application/json', async () => {
    const path = '/ngsi-ld/v1/entities/urn:ngsi-ld:OffStreetParking:fresh';
    const ld = await get(path, 'application/ld+json');
    expect(ld.res.headers.get('content-type')).toBe('application/ld+json');
    expect(ld.res.headers.get('link')).toBeNull();
    expect(ld.body['@context']).toEqual([
      'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
      'https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/context.jsonld',
    ]);
    const plain = await get(path);
    expect(plain.res.headers.get('content-type')).toContain('application/json');
    expect(plain.body).not.toHaveProperty('@context');
    expect(plain.res.headers.get('link')).toBe(
      '<https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/context.jsonld>; ' +
        'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"',
    );
    const list = await get(
      '/ngsi-ld/v1/entities?type=OffStreetParking&georel=near;maxDistance==1000&geometry=Point&coordinates=[-1.9,52.48]',
      'application/ld+json',
    );
    expect(list.body.length).toBeGreaterThan(0);
    for (const e of list.body) expect(e['@context']).toHaveLength(2);
  });

  it('answers errors with NGSI-LD error types', async () => {
    const cases: [string, number, string][] = [
      ['/ngsi-ld/v1/entities/urn:ngsi-ld:OffStreetParking:nosuch', 404, 'ResourceNotFound'],
      ['/ngsi-ld/v1/entities/urn:ngsi-ld:ParkingGroup:fresh', 404, 'ResourceNotFound'],
      ['/ngsi-ld/v1/entities/not-a-urn', 400, 'BadRequestData'],
      ['/ngsi-ld/v1/entities/urn:ngsi-ld:OffStreetParking:fresh?options=sysAttrs', 400, 'BadRequestData'],
      ['/ngsi-ld/v1/entities?type=OffStreetParking', 400, 'BadRequestData'],
      [
        '/ngsi-ld/v1/entities?georel=near;maxDistance==0&geometry=Point&coordinates=[-1.9,52.48]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=near;maxDistance==50001&geometry=Point&coordinates=[-1.9,52.48]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=near;maxDistance==10&geometry=Point&coordinates=[1e1,52]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=near;maxDistance==10&geometry=Point&coordinates=[200,52]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=near;maxDistance==10&geometry=Polygon&coordinates=[-1.9,52.48]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=within&geometry=Polygon&coordinates=[[[0,0],[1,0],[1,1],[0,0.5]]]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=within&geometry=Polygon&coordinates=[[[-10,40],[10,40],[10,60],[-10,40]]]',
        400,
        'BadRequestData',
      ],
      [
        '/ngsi-ld/v1/entities?georel=near;maxDistance==10&geometry=Point&coordinates=[0,0]&limit=60&offset=41',
        400,
        'BadRequestData',
      ],
      ['/ngsi-ld/v1/nosuch', 404, 'ResourceNotFound'],
    ];
    for (const [path, status, type] of cases) {
      const { res, body } = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(body.type).toBe(`https://uri.etsi.org/ngsi-ld/errors/${type}`);
    }
  });

  const nearIds = async (lat: number, lon: number, radius: number, extra = '') => {
    const { res, body } = await get(
      `/ngsi-ld/v1/entities?type=OffStreetParking&georel=near;maxDistance==${radius}&geometry=Point` +
        `&coordinates=[${lon},${lat}]&limit=100${extra}`,
    );
    expect(res.status).toBe(200);
    return (body as Entity[]).map((e) => e.id.replace('urn:ngsi-ld:OffStreetParking:', ''));
  };
  const nearbyIds = async (lat: number, lon: number, radius: number) => {
    const res = await t.request(
      `/v1/lots/nearby?lat=${lat}&lon=${lon}&radius=${radius}&minFree=0&includeStale=true&limit=100`,
    );
    return ((await res.json()).lots as LotAnswer[]).map((l) => l.id);
  };

  it('a near query finds exactly the lots nearby?minFree=0&includeStale=true finds in the same circle', async () => {
    expect(await nearIds(CENTER.lat, CENTER.lon, 1000)).toEqual(
      await nearbyIds(CENTER.lat, CENTER.lon, 1000),
    );
    expect(await nearIds(CENTER.lat, CENTER.lon, 1000)).toEqual(
      expect.arrayContaining(['fresh', 'full', 'stale']),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -800, max: 800 }),
        fc.integer({ min: -800, max: 800 }),
        fc.integer({ min: 1, max: 4000 }),
        async (dn, de, radius) => {
          const p = north(dn, de);
          expect(await nearIds(p.lat, p.lon, radius)).toEqual(await nearbyIds(p.lat, p.lon, radius));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('pages a near query with limit and offset, each lot once', async () => {
    const all = await nearIds(CENTER.lat, CENTER.lon, 5000);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const pages: string[] = [];
    for (let offset = 0; offset < all.length; offset += 2) {
      const { body } = await get(
        `/ngsi-ld/v1/entities?georel=near;maxDistance==5000&geometry=Point&coordinates=[${CENTER.lon},${CENTER.lat}]` +
          `&limit=2&offset=${offset}&options=keyValues`,
      );
      pages.push(...(body as Entity[]).map((e) => e.id.replace('urn:ngsi-ld:OffStreetParking:', '')));
    }
    expect(pages).toEqual(all);
  });

  const withinIds = async (ring: [number, number][]) => {
    const { res, body } = await get(
      `/ngsi-ld/v1/entities?type=OffStreetParking&georel=within&geometry=Polygon&coordinates=${JSON.stringify([ring])}&limit=100`,
    );
    expect(res.status).toBe(200);
    for (const e of body as Entity[]) expect(valid(toKeyValues(e))).toEqual([]);
    return (body as Entity[]).map((e) => e.id.replace('urn:ngsi-ld:OffStreetParking:', ''));
  };

  it('a within query over a rectangle finds what the map box finds, any status', async () => {
    const [minLon, minLat, maxLon, maxLat] = [-1.91, 52.47, -1.89, 52.49];
    const box = await (await t.request(`/v1/lots?bbox=${minLon},${minLat},${maxLon},${maxLat}`)).json();
    const expected = (box.lots as LotAnswer[]).map((l) => l.id).sort();
    expect(expected).toEqual(['fresh', 'full', 'shut', 'silent', 'stale']);
    expect(
      await withinIds([
        [minLon, minLat],
        [maxLon, minLat],
        [maxLon, maxLat],
        [minLon, maxLat],
        [minLon, minLat],
      ]),
    ).toEqual(expected);
  });

  it('a within query over a triangle keeps only the lots inside its edges', async () => {
    // The lots lie on a north-south line at CENTER.lon; the triangle's east edge slants, so the
    // line is inside it only up to about 250 m north.
    const south = CENTER.lat - 0.001;
    const ids = await withinIds([
      [CENTER.lon - 0.01, south],
      [CENTER.lon + 0.01, south],
      [CENTER.lon - 0.01, north(250).lat + (north(250).lat - south)],
      [CENTER.lon - 0.01, south],
    ]);
    expect(ids).toEqual(['fresh', 'shut', 'silent']);
  });

  it('a within polygon may cross the antimeridian', async () => {
    expect(
      await withinIds([
        [179.9, -0.1],
        [-179.9, -0.1],
        [-179.9, 0.1],
        [179.9, 0.1],
        [179.9, -0.1],
      ]),
    ).toEqual(['east-of-180', 'west-of-180']);
    expect(
      await withinIds([
        [179.9, -0.1],
        [179.9995, -0.1],
        [179.9995, 0.1],
        [179.9, 0.1],
        [179.9, -0.1],
      ]),
    ).toEqual(['east-of-180']);
  });

  it('answers reported bays as ParkingSpot entities of their lot, valid, with their latest report', async () => {
    const spotValid = (kv: unknown) => (v!.parkingSpot(kv) ? [] : errorsOf(v!.parkingSpot));
    const lot = (await (await t.request('/v1/lots/bays')).json()) as LotAnswer;
    const want: Record<string, [string, number]> = {
      A1: ['free', -60_000], // its latest report, not its first
      A2: ['free', -300_000],
      A3: ['unknown', -2 * 3600_000], // older than the lot's staleAfterSeconds
    };
    for (const [space, [status, offset]] of Object.entries(want)) {
      const id = `urn:ngsi-ld:ParkingSpot:bays:${space}`;
      const { res, body: kv } = await get(`/ngsi-ld/v1/entities/${id}?options=keyValues`);
      expect(res.status).toBe(200);
      expect(spotValid(kv)).toEqual([]);
      expect(kv).toMatchObject({
        id,
        type: 'ParkingSpot',
        status,
        refParkingSite: 'urn:ngsi-ld:OffStreetParking:bays',
        location: { type: 'Point', coordinates: [lot.location.lon, lot.location.lat] },
      });
      const { body: n } = await get(`/ngsi-ld/v1/entities/${id}`);
      expect(toKeyValues(n)).toEqual(kv);
      expect(n.status).toEqual({ type: 'Property', value: status, observedAt: iso(offset) });
      expect(n.refParkingSite).toEqual({ type: 'Relationship', object: 'urn:ngsi-ld:OffStreetParking:bays' });
    }
    const q = 'type=ParkingSpot&q=refParkingSite=="urn:ngsi-ld:OffStreetParking:bays"';
    const all = await get(`/ngsi-ld/v1/entities?${q}&options=keyValues`);
    expect(all.res.status).toBe(200);
    expect((all.body as Entity[]).map((e) => e.id)).toEqual(
      ['A1', 'A2', 'A3'].map((s) => `urn:ngsi-ld:ParkingSpot:bays:${s}`),
    );
    const paged = await get(`/ngsi-ld/v1/entities?${q}&limit=1&offset=1`);
    expect((paged.body as Entity[]).map((e) => e.id)).toEqual(['urn:ngsi-ld:ParkingSpot:bays:A2']);
    const none = await get(
      '/ngsi-ld/v1/entities?type=ParkingSpot&q=refParkingSite=="urn:ngsi-ld:OffStreetParking:fresh"',
    );
    expect(none.body).toEqual([]);
    for (const [path, status] of [
      ['/ngsi-ld/v1/entities/urn:ngsi-ld:ParkingSpot:bays:Z9', 404],
      ['/ngsi-ld/v1/entities/urn:ngsi-ld:ParkingSpot:nosuch:A1', 404],
      ['/ngsi-ld/v1/entities/urn:ngsi-ld:ParkingSpot:bays', 404],
      ['/ngsi-ld/v1/entities?type=ParkingSpot', 400],
      ['/ngsi-ld/v1/entities?q=refParkingSite=="urn:ngsi-ld:OffStreetParking:bays"', 400],
      ['/ngsi-ld/v1/entities?type=ParkingSpot&q=refParkingSite==bays', 400],
    ] as const) {
      const { res } = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status });
    }
  });

  it("reads a lot's bays with one bounded Query, however many it has", async () => {
    await put('many-bays', { lat: -10, lon: -10 });
    const spaces = Array.from({ length: 130 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    for (let i = 0; i < spaces.length; i += 65) {
      const res = await t.request('/v1/lots/many-bays/observations', {
        method: 'POST',
        headers: t.staff,
        json: {
          observations: spaces
            .slice(i, i + 65)
            .map((s) => ({ eventId: `e-${s}`, observedAt: iso(-1000), spaceId: s, state: 'occupied' })),
        },
      });
      expect(res.status).toBe(200);
    }
    const calls = countStoreCalls(t.store.client);
    const q = 'type=ParkingSpot&q=refParkingSite=="urn:ngsi-ld:OffStreetParking:many-bays"&options=keyValues';
    const all = await get(`/ngsi-ld/v1/entities?${q}&limit=100`);
    expect((all.body as Entity[]).map((e) => e.id)).toEqual(
      spaces.slice(0, 100).map((s) => `urn:ngsi-ld:ParkingSpot:many-bays:${s}`),
    );
    expect(calls.commands.get('Query')).toBe(1);
    // The store reads no more bay items than asked for.
    const lot = (await t.deps.lots.get('many-bays'))!;
    expect(await t.deps.observations.bays(lot, { limit: 7 })).toHaveLength(7);
    const last = await get(`/ngsi-ld/v1/entities?${q}&limit=1&offset=99`);
    expect((last.body as Entity[]).map((e) => e.id)).toEqual(['urn:ngsi-ld:ParkingSpot:many-bays:S099']);
  });
});
