// GET /v1/exports/datex2-light through the real app on both real stores: every document valid
// against the official DATEX II Light schema, its figures those of the lots' own API answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotsForExport } from '../../shared/use-cases/export-lots';
import { errorsOf, interopValidators } from '../support/interop-schemas';
import { countStoreCalls } from '../support/store-calls';
import { openApp, storeKinds, testClock } from '../support/stores';

const v = interopValidators();

type Site = Record<string, unknown> & { _id: string };
type Publication = { parkingPublicationLight: { publicationTime: string; parkingSite: Site[] } };

describe.skipIf(v === null).each(storeKinds())('DATEX II Light export on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const iso = (offsetMs: number) => new Date(t.clock.now() + offsetMs).toISOString();
  const lot = (id: string, over: Record<string, unknown> = {}) =>
    t.request(`/v1/lots/${id}`, {
      method: 'PUT',
      headers: t.staff,
      json: {
        name: `Lot ${id}`,
        location: { lat: 52.48, lon: -1.9 },
        capacity: 50,
        type: 'garage',
        zone: 'centre',
        timeZone: 'Europe/London',
        ...over,
      },
    });
  const count = (id: string, occupied: number, offsetMs: number) =>
    t.request(`/v1/lots/${id}/observations`, {
      method: 'POST',
      headers: t.staff,
      json: { observations: [{ eventId: `${id}-${offsetMs}`, observedAt: iso(offsetMs), occupied }] },
    });

  beforeAll(async () => {
    t = await openApp(kind);
    await lot('fresh', { openingHours: 'Mo-Su 06:00-23:00' });
    await count('fresh', 20, -60_000);
    await lot('full', { type: 'surface', location: { lat: 52.481, lon: -1.901 } });
    await count('full', 60, -30_000); // over capacity: clamped for drivers
    await lot('stale', { type: 'park_and_ride', location: { lat: 52.49, lon: -1.92 } });
    await count('stale', 10, -3 * 3600_000);
    await lot('silent', { type: 'on_street', zone: 'north', location: { lat: 52.6, lon: -1.9 } });
    await lot('shut', { type: 'underground', zone: 'north', location: { lat: 52.61, lon: -1.9 } });
    await count('shut', 5, -60_000);
    await t.request('/v1/lots/shut', { method: 'PATCH', headers: t.staff, json: { closed: true } });
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const exported = async (query = '') => {
    const res = await t.request(`/v1/exports/datex2-light${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const doc = (await res.json()) as Publication;
    expect(v!.datex2Light(doc) ? [] : errorsOf(v!.datex2Light)).toEqual([]);
    return doc;
  };

  it("publishes every lot, valid, with the figures of the lot's own answer", async () => {
    const doc = await exported();
    expect(doc.parkingPublicationLight.publicationTime).toBe(iso(0));
    const sites = doc.parkingPublicationLight.parkingSite;
    expect(sites.map((s) => s._id)).toEqual(['fresh', 'full', 'shut', 'silent', 'stale']);
    for (const site of sites) {
      const view = await (await t.request(`/v1/lots/${site._id}`)).json();
      const fresh = view.status === 'available' || view.status === 'full';
      expect(site.numberOfSpaces).toBe(view.capacity);
      expect(site.availableSpaces).toBe(fresh ? view.free : undefined);
      expect(site.lastUpdate).toBe(view.observedAt ?? undefined);
      expect(site.isOpenNow).toBe(view.status !== 'closed');
      expect(site.temporaryClosed).toBe(view.status === 'closed');
      expect(site.locationAndDimension).toEqual({
        coordinatesForDisplay: { latitude: view.location.lat, longitude: view.location.lon },
      });
    }
    const byId = Object.fromEntries(sites.map((s) => [s._id, s]));
    expect(byId.full!.availableSpaces).toBe(0);
    expect(byId.stale).not.toHaveProperty('availableSpaces');
    expect(byId.stale!.lastUpdate).toBe(iso(-3 * 3600_000)); // the observation time, not the edit time
    expect(byId.fresh!.openingTimesDescription).toEqual(['Mo-Su 06:00-23:00']);
  });

  it('filters by zone, by box, and by both', async () => {
    const ids = async (q: string) =>
      (await exported(q)).parkingPublicationLight.parkingSite.map((s) => s._id);
    expect(await ids('?zone=north')).toEqual(['shut', 'silent']);
    expect(await ids('?bbox=-1.91,52.47,-1.89,52.5')).toEqual(['fresh', 'full']);
    expect(await ids('?zone=north&bbox=-1.91,52.47,-1.89,52.5')).toEqual([]);
    expect(await ids('?zone=nowhere')).toEqual([]);
  });

  it('reads the store with Queries and batch reads only, never a Scan', async () => {
    const calls = countStoreCalls(t.store.client);
    await exported();
    await exported('?zone=north');
    await exported('?bbox=-1.91,52.47,-1.89,52.5');
    expect(calls.commands.get('Scan')).toBeUndefined();
    expect(calls.commands.get('Query')).toBeGreaterThan(0);
  });

  it('answers a bad zone, a bad or too large box with a 400 naming it', async () => {
    for (const [query, path] of [
      ['?zone=-bad', 'zone'],
      ['?bbox=1,2,3', 'bbox'],
      ['?bbox=-10,40,10,60', 'bbox'],
    ] as const) {
      const res = await t.request(`/v1/exports/datex2-light${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await res.json()).errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('refuses a selection over the cap instead of publishing part of it as if whole', async () => {
    // The store reads no more of the catalog than the cap needs.
    expect(await t.deps.lots.list(undefined, 2)).toHaveLength(2);
    expect(await t.deps.lots.list('north', 1)).toHaveLength(1);
    await expect(lotsForExport(t.deps, {}, 5)).resolves.toHaveLength(5);
    await expect(lotsForExport(t.deps, {}, 4)).rejects.toMatchObject({ errors: [{ path: 'zone' }] });
    await expect(lotsForExport(t.deps, { zone: 'north' }, 2)).resolves.toHaveLength(2);
    await expect(lotsForExport(t.deps, { zone: 'north' }, 1)).rejects.toThrow(/more than 1 lots/);
    const box = { minLon: -1.91, minLat: 52.47, maxLon: -1.89, maxLat: 52.5 };
    await expect(lotsForExport(t.deps, { bbox: box }, 2)).resolves.toHaveLength(2);
    await expect(lotsForExport(t.deps, { bbox: box, zone: 'centre' }, 1)).rejects.toMatchObject({
      errors: [{ path: 'bbox' }],
    });
  });

  it("publishes the DATEX II v3.7 table and status pair, valid, with the figures of the lots' answers", async () => {
    const get = async (which: string, query = '') => {
      const res = await t.request(`/v1/exports/datex2/${which}${query}`);
      expect(res.status).toBe(200);
      const doc = await res.json();
      expect(v!.datex2Full(doc) ? [] : errorsOf(v!.datex2Full)).toEqual([]);
      return doc.payload;
    };
    const table = (await get('parking-table')).prkParkingTablePublication;
    const places = table.parkingTable[0].hierarchyElementGeneral.map(
      (h: { prkPlace: Record<string, unknown> }) => h.prkPlace,
    );
    const statuses = (await get('parking-status')).prkParkingStatusPublication.parkingStatusInformation.map(
      (s: { prkPlaceStatus: Record<string, unknown> }) => s.prkPlaceStatus,
    );
    expect(places.map((p: { idG: string }) => p.idG)).toEqual(['fresh', 'full', 'shut', 'silent', 'stale']);
    for (const [i, place] of places.entries()) {
      const view = await (await t.request(`/v1/lots/${place.idG}`)).json();
      const fresh = view.status === 'available' || view.status === 'full';
      expect(place.supply).toEqual({ quantity: view.capacity, viewType: { value: 'spaceView' } });
      const status = statuses[i];
      expect(status.reference).toEqual({ targetClass: 'prk:Place', idG: view.id, versionG: '1' });
      expect(status.lastUpdated).toBe(view.observedAt ?? undefined);
      expect(status.openingStatus).toEqual({
        value: view.status === 'closed' ? 'temporarilyClosed' : 'open',
      });
      expect(status.occupancy).toEqual(
        fresh
          ? {
              numberOfVacantSpaces: view.free,
              numberOfOccupiedSpaces: view.occupied,
              occupancy: view.occupancy * 100,
            }
          : undefined,
      );
    }
    expect(
      (await get('parking-status', '?zone=north')).prkParkingStatusPublication.parkingStatusInformation,
    ).toHaveLength(2);
    const empty = await t.request('/v1/exports/datex2/parking-table?zone=nowhere');
    expect(empty.status).toBe(404);
    expect(empty.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe.skipIf(v === null).each(storeKinds())('DATEX II closure kinds on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(() => t.close());

  it('a lot outside its opening hours is closed, not temporarily closed; one staff closed is', async () => {
    // Hours that open two hours after the test clock's hour, on the lot's (UTC) wall clock.
    const hour = new Date(t.clock.now()).getUTCHours();
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const start = (hour + 2) % 24;
    const openingHours = `Mo-Su ${hh(start)}-${hh(start + 1)}`;
    const base = { location: { lat: 52.48, lon: -1.9 }, capacity: 50, type: 'garage', timeZone: 'UTC' };
    for (const [id, over] of [
      ['night', { openingHours }],
      ['shut', {}],
    ] as const) {
      const res = await t.request(`/v1/lots/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: { name: id, ...base, ...over },
      });
      expect(res.status).toBe(201);
    }
    const patch = { method: 'PATCH', headers: t.staff, json: { closed: true } };
    expect((await t.request('/v1/lots/shut', patch)).status).toBe(200);
    const night = await (await t.request('/v1/lots/night')).json();
    expect(night).toMatchObject({ status: 'closed', closesAt: null });
    expect(night.opensAt).not.toBeNull();

    const light = await (await t.request('/v1/exports/datex2-light')).json();
    expect(v!.datex2Light(light) ? [] : errorsOf(v!.datex2Light)).toEqual([]);
    const sites = light.parkingPublicationLight.parkingSite as Site[];
    const site = (id: string) => sites.find((s) => s._id === id);
    expect(site('night')).toMatchObject({ isOpenNow: false, temporaryClosed: false });
    expect(site('shut')).toMatchObject({ isOpenNow: false, temporaryClosed: true });

    const status = await (await t.request('/v1/exports/datex2/parking-status')).json();
    expect(v!.datex2Full(status) ? [] : errorsOf(v!.datex2Full)).toEqual([]);
    const opening = Object.fromEntries(
      status.payload.prkParkingStatusPublication.parkingStatusInformation.map(
        (s: { prkPlaceStatus: { reference: { idG: string }; openingStatus: { value: string } } }) => [
          s.prkPlaceStatus.reference.idG,
          s.prkPlaceStatus.openingStatus.value,
        ],
      ),
    );
    expect(opening).toEqual({ night: 'closed', shut: 'temporarilyClosed' });
  });
});

describe.skipIf(v === null).each(storeKinds())('DATEX II publisher on %s', (kind) => {
  it('names the deployment as publisher when it says who it is, else ZZ', async () => {
    const configured = await openApp(kind, testClock(), {
      city: {
        name: { en: 'Hangzhou', 'zh-CN': '杭州' },
        centre: { lat: 30.27, lon: 120.16 },
        publisher: { country: 'CN', nationalIdentifier: 'hangzhou-parking' },
      },
    });
    const plain = await openApp(kind);
    try {
      for (const [t, creator] of [
        [configured, { country: 'CN', nationalIdentifier: 'hangzhou-parking' }],
        [plain, { country: 'ZZ', nationalIdentifier: 'parking-finder' }],
      ] as const) {
        const lot = {
          name: 'P',
          location: { lat: 30.27, lon: 120.16 },
          capacity: 9,
          type: 'garage',
          timeZone: 'Asia/Shanghai',
        };
        expect((await t.request('/v1/lots/p', { method: 'PUT', headers: t.staff, json: lot })).status).toBe(
          201,
        );
        const light = await (await t.request('/v1/exports/datex2-light')).json();
        expect(v!.datex2Light(light) ? [] : errorsOf(v!.datex2Light)).toEqual([]);
        expect(light.parkingPublicationLight.publicationCreator).toEqual(creator);
        const table = await (await t.request('/v1/exports/datex2/parking-table')).json();
        expect(v!.datex2Full(table) ? [] : errorsOf(v!.datex2Full)).toEqual([]);
        expect(JSON.stringify(table)).toContain(JSON.stringify(creator.nationalIdentifier));
      }
    } finally {
      await configured.close();
      await plain.close();
    }
  });
});
