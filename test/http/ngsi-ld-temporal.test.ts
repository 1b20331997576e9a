// The NGSI-LD temporal API through the real app on both real stores: a lot's instances are its
// history, each observation once, in time order, whatever order the reports arrived in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeHistory } from '../../shared/use-cases/temporal';
import { openApp, storeKinds } from '../support/stores';

type Instance = { type: string; value: number; observedAt: string; instanceId: string };
type HistoryItem = {
  eventId: string;
  observedAt: string;
  occupied?: number;
  entries?: number;
  exits?: number;
};

describe.each(storeKinds())('NGSI-LD temporal on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const START = Date.parse('2026-11-20T00:00:00Z');
  const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
  const ENTITY = '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:OffStreetParking:tl';
  const post = (observations: unknown[]) =>
    t.request('/v1/lots/tl/observations', { method: 'POST', headers: t.staff, json: { observations } });
  const temporal = async (query: string, headers: Record<string, string> = t.staff) => {
    const res = await t.request(`${ENTITY}${query}`, { headers });
    return { res, body: await res.json() };
  };
  const history = async (from: string, to: string) => {
    const out: HistoryItem[] = [];
    let cursor = '';
    do {
      const res = await t.request(
        `/v1/lots/tl/observations?from=${from}&to=${to}${cursor ? `&cursor=${cursor}` : ''}`,
        {
          headers: t.staff,
        },
      );
      const page = await res.json();
      out.push(...page.observations);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    return out;
  };

  beforeAll(async () => {
    t = await openApp(kind);
    await t.request('/v1/lots/tl', {
      method: 'PUT',
      headers: t.staff,
      json: {
        name: 'Temporal',
        location: { lat: 52.48, lon: -1.9 },
        capacity: 500,
        type: 'garage',
        timeZone: 'UTC',
      },
    });
    // 1,050 observations over 1,050 minutes, sent newest batch first, counts and gates mixed,
    // one bay report, and one batch sent twice.
    const all = Array.from({ length: 1050 }, (_, i) =>
      i % 3 === 0
        ? { eventId: `g-${i}`, observedAt: at(i), entries: i % 7, exits: i % 5 }
        : { eventId: `c-${i}`, observedAt: at(i), occupied: (i * 37) % 600 },
    );
    for (let b = Math.ceil(all.length / 100) - 1; b >= 0; b--) {
      expect((await post(all.slice(b * 100, b * 100 + 100))).status).toBe(200);
    }
    await post(all.slice(0, 100));
    await post([
      { eventId: 'bay-2', observedAt: at(7.5), spaceId: 'A1', state: 'vacant' },
      { eventId: 'bay-1', observedAt: at(5.5), spaceId: 'A1', state: 'occupied' },
      { eventId: 'bay-3', observedAt: at(6.5), spaceId: 'B2', state: 'occupied' },
    ]);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it("answers the lot's history, each observation once, in time order, across history pages", async () => {
    const [from, to] = [at(0), at(1050)];
    const expected = await history(from, to);
    expect(expected.length).toBe(1053); // the bay reports too
    const { res, body } = await temporal(`?timerel=between&timeAt=${from}&endTimeAt=${to}`);
    expect(res.status).toBe(200);
    expect(body.id).toBe('urn:ngsi-ld:OffStreetParking:tl');
    const ids = (attr: string) =>
      (body[attr] as Instance[]).map((i) => decodeURIComponent(i.instanceId.split(':').pop()!));
    expect(ids('occupiedSpotNumber')).toEqual(
      expected.filter((o) => o.occupied !== undefined).map((o) => o.eventId),
    );
    expect(ids('vehicleEntranceCount')).toEqual(
      expected.filter((o) => o.entries !== undefined).map((o) => o.eventId),
    );
    expect(ids('vehicleExitCount')).toEqual(ids('vehicleEntranceCount'));
    for (const [attr, field] of [
      ['occupiedSpotNumber', 'occupied'],
      ['vehicleEntranceCount', 'entries'],
      ['vehicleExitCount', 'exits'],
    ] as const) {
      const byId = new Map(expected.map((o) => [o.eventId, o]));
      for (const i of body[attr] as Instance[]) {
        const o = byId.get(decodeURIComponent(i.instanceId.split(':').pop()!))!;
        expect(i).toMatchObject({ type: 'Property', value: o[field], observedAt: o.observedAt });
      }
      const times = (body[attr] as Instance[]).map((i) => Date.parse(i.observedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('before, after and between bound the instances as NGSI-LD says (after is exclusive)', async () => {
    const count = (b: Record<string, Instance[]>) =>
      (b.occupiedSpotNumber?.length ?? 0) + (b.vehicleEntranceCount?.length ?? 0);
    const between = (await temporal(`?timerel=between&timeAt=${at(10)}&endTimeAt=${at(20)}`)).body;
    expect(count(between)).toBe(10); // minutes 10..19
    const after = (await temporal(`?timerel=after&timeAt=${at(1040)}`)).body;
    expect(count(after)).toBe(9); // minutes 1041..1049
    const before = (await temporal(`?timerel=before&timeAt=${at(3)}`)).body;
    expect(count(before)).toBe(3); // minutes 0..2
  });

  it('picks attributes, the last N instances, and the simplified form', async () => {
    const range = `?timerel=between&timeAt=${at(0)}&endTimeAt=${at(30)}`;
    const all = (await temporal(range)).body;
    const only = (await temporal(`${range}&attrs=occupiedSpotNumber&lastN=3`)).body;
    expect(Object.keys(only).sort()).toEqual(['id', 'occupiedSpotNumber', 'type']);
    expect(only.occupiedSpotNumber).toEqual(all.occupiedSpotNumber.slice(-3));
    const simple = (await temporal(`${range}&options=temporalValues&attrs=vehicleExitCount`)).body;
    expect(simple.vehicleExitCount).toEqual({
      type: 'Property',
      values: all.vehicleExitCount.map((i: Instance) => [i.value, i.observedAt]),
    });
  });

  it('is for staff, answers NGSI-LD errors, and refuses a range over its cap', async () => {
    expect((await temporal('', {})).res.status).toBe(401);
    const cases: [string, number, string, string][] = [
      [`?timerel=between&timeAt=${at(0)}`, 400, 'BadRequestData', 'endTimeAt'],
      [`?timeAt=${at(0)}`, 400, 'BadRequestData', 'timerel'],
      [`?timerel=between&timeAt=${at(0)}&endTimeAt=${at(60 * 24 * 40)}`, 400, 'BadRequestData', 'endTimeAt'],
      [`?timerel=between&timeAt=${at(10)}&endTimeAt=${at(0)}`, 400, 'BadRequestData', 'timeAt'],
      ['?attrs=name', 400, 'BadRequestData', 'attrs'],
      ['?lastN=0', 400, 'BadRequestData', 'lastN'],
    ];
    for (const [query, status, type, path] of cases) {
      const { res, body } = await temporal(query);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(body.type).toBe(`https://uri.etsi.org/ngsi-ld/errors/${type}`);
      expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const missing = await t.request('/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:OffStreetParking:nosuch', {
      headers: t.staff,
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
    const range = { from: at(0), to: at(1050) };
    await expect(wholeHistory(t.deps, 'tl', range, 1053)).resolves.toHaveLength(1053);
    await expect(wholeHistory(t.deps, 'tl', range, 1052)).rejects.toMatchObject({
      errors: [{ path: 'timeAt' }],
    });
    await expect(wholeHistory(t.deps, 'tl', range, 1000)).rejects.toThrow(/narrow the time range/);
  });

  it("answers a bay's reports as status instances of its ParkingSpot, not of the lot", async () => {
    const range = `?timerel=between&timeAt=${at(0)}&endTimeAt=${at(20)}`;
    const res = await t.request(`/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:ParkingSpot:tl:A1${range}`, {
      headers: t.staff,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      id: 'urn:ngsi-ld:ParkingSpot:tl:A1',
      type: 'ParkingSpot',
      status: [
        {
          type: 'Property',
          value: 'occupied',
          observedAt: at(5.5),
          instanceId: 'urn:ngsi-ld:Instance:bay-1',
        },
        { type: 'Property', value: 'free', observedAt: at(7.5), instanceId: 'urn:ngsi-ld:Instance:bay-2' },
      ],
    });
    const lot = (await temporal(range)).body;
    expect(lot).not.toHaveProperty('status');
    const none = await t.request(`/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:ParkingSpot:tl:Z9${range}`, {
      headers: t.staff,
    });
    expect(none.status).toBe(404); // a bay never reported is no entity
    expect((await none.json()).type).toBe('https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound');
  });
});
