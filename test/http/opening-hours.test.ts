// Opening hours through the real app on both stores: closed outside hours with opensAt, closesAt
// within 24 h, evaluated in the lot's zone while the process runs in another, and values that do not
// evaluate refused on PUT, PATCH and each import row with nothing written (README "Opening hours").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, storeKinds } from '../support/stores';

const PROCESS_ZONE = 'America/Los_Angeles';
let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = PROCESS_ZONE;
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const lotBody = (over: Record<string, unknown> = {}) => ({
  name: 'Hours Lot',
  location: { lat: 52.477, lon: -1.894 },
  capacity: 100,
  type: 'garage',
  timeZone: 'Europe/London',
  ...over,
});

describe.each(storeKinds())('opening hours on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = (id: string, body: unknown) =>
    t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: body });
  const observe = (id: string, occupied: number) =>
    t.request(`/v1/lots/${id}/observations`, {
      method: 'POST',
      headers: t.staff,
      json: {
        observations: [
          { eventId: `e-${t.clock.now()}`, observedAt: new Date(t.clock.now()).toISOString(), occupied },
        ],
      },
    });
  const lot = async (id: string) => (await t.request(`/v1/lots/${id}`)).json();
  const nearbyIds = async (lat: number, lon: number) =>
    (
      (await (await t.request(`/v1/lots/nearby?lat=${lat}&lon=${lon}&radius=2000&minFree=0`)).json())
        .lots as {
        id: string;
      }[]
    ).map((l) => l.id);

  it('is closed on Sunday with opensAt Monday 08:00 local across the end of UK summer time', async () => {
    t.clock.set(Date.parse('2026-10-24T19:00:00Z')); // Saturday 20:00 BST
    expect((await put('weekday-lot', lotBody({ openingHours: 'Mo-Sa 08:00-18:00' }))).status).toBe(201);
    expect((await observe('weekday-lot', 10)).status).toBe(200);
    t.clock.set(Date.parse('2026-10-25T10:00:00Z')); // Sunday 10:00 GMT, after the change
    expect((await observe('weekday-lot', 12)).status).toBe(200);
    expect(await lot('weekday-lot')).toMatchObject({
      status: 'closed',
      opensAt: '2026-10-26T08:00:00.000Z',
      closesAt: null,
      free: 88,
    });
    expect(await nearbyIds(52.477, -1.894)).not.toContain('weekday-lot');
    const box = await (await t.request('/v1/lots?bbox=-1.9,52.47,-1.89,52.48')).json();
    expect(box.lots.find((l: { id: string }) => l.id === 'weekday-lot')).toMatchObject({ status: 'closed' });

    t.clock.set(Date.parse('2026-10-26T09:00:00Z')); // Monday 09:00 GMT
    expect((await observe('weekday-lot', 20)).status).toBe(200);
    expect(await lot('weekday-lot')).toMatchObject({
      status: 'available',
      opensAt: null,
      closesAt: '2026-10-26T18:00:00.000Z',
    });
    expect(await nearbyIds(52.477, -1.894)).toContain('weekday-lot');
    expect(process.env.TZ).toBe(PROCESS_ZONE);
  });

  it('spans midnight with Fr 18:00-02:00 in the lot zone, also the Friday the clocks went forward', async () => {
    const hours = {
      openingHours: 'Fr 18:00-02:00',
      timeZone: 'Asia/Jerusalem',
      location: { lat: 31.78, lon: 35.22 },
    };
    t.clock.set(Date.parse('2027-03-25T18:00:00Z')); // Thursday 20:00 at +02:00
    expect((await put('night-lot', lotBody(hours))).status).toBe(201);
    expect(await lot('night-lot')).toMatchObject({ status: 'closed', opensAt: '2027-03-26T15:00:00.000Z' });
    t.clock.set(Date.parse('2027-03-26T21:30:00Z')); // Saturday 00:30 at +03:00
    expect((await observe('night-lot', 5)).status).toBe(200);
    expect(await lot('night-lot')).toMatchObject({
      status: 'available',
      closesAt: '2027-03-26T23:00:00.000Z',
      opensAt: null,
    });
    expect(await nearbyIds(31.78, 35.22)).toContain('night-lot');
    t.clock.set(Date.parse('2027-03-27T00:30:00Z')); // Saturday 03:30: closed until next Friday
    expect(await lot('night-lot')).toMatchObject({ status: 'closed', opensAt: '2027-04-02T15:00:00.000Z' });
    expect(await nearbyIds(31.78, 35.22)).not.toContain('night-lot');
  });

  it('keeps a lot staff closed closed whatever its hours, with no opensAt', async () => {
    t.clock.set(Date.parse('2026-11-23T10:00:00Z'));
    expect((await put('staff-closed', lotBody({ openingHours: '24/7' }))).status).toBe(201);
    const res = await t.request('/v1/lots/staff-closed', {
      method: 'PATCH',
      headers: t.staff,
      json: { closed: true },
    });
    expect(await res.json()).toMatchObject({ status: 'closed', opensAt: null, closesAt: null });
  });

  it('refuses hours that do not evaluate, naming openingHours, on PUT, PATCH and each import row', async () => {
    const bad = 'Mo-Fr 25:00-26:00 whenever';
    const putRes = await put('bad-hours', lotBody({ openingHours: bad }));
    expect(putRes.status).toBe(400);
    expect(putRes.headers.get('content-type')).toContain('application/problem+json');
    expect((await putRes.json()).errors).toEqual([{ path: 'openingHours', message: expect.any(String) }]);
    expect((await t.request('/v1/lots/bad-hours')).status).toBe(404);

    expect((await put('good-hours', lotBody({ openingHours: 'Mo-Fr 08:00-18:00' }))).status).toBe(201);
    const patch = await t.request('/v1/lots/good-hours', {
      method: 'PATCH',
      headers: t.staff,
      json: { openingHours: 'PH off' },
    });
    expect(patch.status).toBe(400);
    expect((await patch.json()).errors).toEqual([
      { path: 'openingHours', message: expect.stringMatching(/PH/) },
    ]);
    expect((await lot('good-hours')).openingHours).toBe('Mo-Fr 08:00-18:00');

    const csv =
      'id,name,lat,lon,capacity,openingHours\nok-row,Ok,52.41,-1.91,10,Mo-Su 07:00-19:00\nbad-row,Bad,52.42,-1.92,10,not hours\n';
    const imported = await t.request('/v1/lots:import?timeZone=Europe/London', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(imported.status).toBe(200);
    const report = await imported.json();
    expect(report.rejected).toEqual([expect.objectContaining({ field: 'openingHours' })]);
    expect((await t.request('/v1/lots/bad-row')).status).toBe(404);
    expect((await lot('ok-row')).openingHours).toBe('Mo-Su 07:00-19:00');
  });

  it('with arriveAt, leaves out a lot closed at arrival and admits one that opens before it', async () => {
    // Wednesday 2026-11-04, 17:30 GMT: one lot closes at 18:00, the other opens at 18:00.
    t.clock.set(Date.parse('2026-11-04T17:30:00Z'));
    const at = { lat: 52.6, lon: -1.7 };
    expect(
      (await put('closes-soon', lotBody({ location: at, openingHours: 'Mo-Su 06:00-18:00' }))).status,
    ).toBe(201);
    expect(
      (await put('opens-soon', lotBody({ location: at, openingHours: 'Mo-Su 18:00-23:00' }))).status,
    ).toBe(201);
    for (const id of ['closes-soon', 'opens-soon']) expect((await observe(id, 10)).status).toBe(200);
    const ids = async (arriveAt?: string) =>
      (
        (await (
          await t.request(
            `/v1/lots/nearby?lat=${at.lat}&lon=${at.lon}&radius=500&minFree=0${arriveAt ? `&arriveAt=${arriveAt}` : ''}`,
          )
        ).json()) as { lots: { id: string; status: string }[] }
      ).lots;
    expect((await ids()).map((l) => l.id)).toEqual(['closes-soon']);
    // Arriving at 18:30: the first is closed then, the second open (though closed now).
    const later = await ids('2026-11-04T18:30:00Z');
    expect(later.map((l) => l.id)).toEqual(['opens-soon']);
    expect(later[0]!.status).toBe('closed'); // its status is now's; it opens at 18:00
    // Arriving at 17:45: both as now.
    expect((await ids('2026-11-04T17:45:00Z')).map((l) => l.id)).toEqual(['closes-soon']);
  });
});
