// Ingestion against real stores: concurrency, duplicates, reordering, keys and scopes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Observation, replay } from '../../shared/domain/observation';
import { openApp, storeKinds } from '../support/stores';
import { toWire } from '../support/wire';

const lot = (capacity = 500) => ({
  name: 'Gate lot',
  location: { lat: 52.48, lon: -1.9 },
  capacity,
  type: 'garage',
  timeZone: 'Europe/London',
});

describe.each(storeKinds())('ingestion on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = (id: string, capacity = 500) =>
    t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: lot(capacity) });
  const post = (id: string, observations: unknown[], headers: Record<string, string> = t.staff) =>
    t.request(`/v1/lots/${id}/observations`, { method: 'POST', headers, json: { observations } });
  const state = async (id: string) =>
    (await (await t.request(`/v1/lots/${id}`)).json()) as { occupied: number };
  const history = async (id: string) => {
    const from = new Date(t.clock.now() - 30 * 86_400_000).toISOString();
    const body = await (
      await t.request(`/v1/lots/${id}/observations?from=${from}`, { headers: t.staff })
    ).json();
    return body.observations as { eventId: string }[];
  };

  it('raises occupied by exactly the sum of 50 concurrent gate reports', async () => {
    await put('gates');
    await post('gates', [
      { eventId: 'base', observedAt: new Date(t.clock.now() - 3_600_000).toISOString(), occupied: 100 },
    ]);
    const reports = Array.from({ length: 50 }, (_, i) => ({
      eventId: `g-${i}`,
      observedAt: new Date(t.clock.now() - 60_000 + i * 100).toISOString(),
      entries: (i % 5) + 1,
      exits: i % 3,
    }));
    // 50 writers of one lot at once: on a busy machine some may lose the optimistic-concurrency race
    // too often and get the documented 503 with Retry-After (README "Guarantees"). A sensor then sends
    // the same report again; the sum must still count each report exactly once.
    const deliver = async (r: (typeof reports)[number]) => {
      for (let attempt = 1; ; attempt++) {
        const res = await post('gates', [r]);
        if (res.status !== 503 || attempt === 5) return res;
        expect(res.headers.get('retry-after')).toBeTruthy();
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    };
    const responses = await Promise.all(reports.map(deliver));
    expect(responses.map((r) => r.status)).toEqual(reports.map(() => 200));
    const sum = reports.reduce((s, r) => s + r.entries - r.exits, 0);
    expect((await state('gates')).occupied).toBe(100 + sum);
    expect((await history('gates')).length).toBe(51);
  });

  it('applies an event delivered 10 times concurrently exactly once', async () => {
    await put('dupes');
    const report = {
      eventId: 'same',
      observedAt: new Date(t.clock.now() - 1000).toISOString(),
      entries: 7,
      exits: 0,
    };
    const bodies = await Promise.all(
      Array.from({ length: 10 }, () => post('dupes', [report]).then((r) => r.json())),
    );
    expect(bodies.filter((b) => b.applied === 1)).toHaveLength(1);
    expect(bodies.filter((b) => b.duplicates === 1)).toHaveLength(9);
    expect((await state('dupes')).occupied).toBe(7);
    expect(await history('dupes')).toHaveLength(1);
  });

  it('ends, whatever the arrival order, batching and duplication, where the ordered replay ends', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('count' as const),
              t: fc.nat(60),
              occupied: fc.integer({ min: 0, max: 120 }),
            }),
            fc.record({
              kind: fc.constant('gate' as const),
              t: fc.nat(60),
              entries: fc.nat(5),
              exits: fc.nat(5),
            }),
            fc.record({
              kind: fc.constant('bay' as const),
              t: fc.nat(60),
              spaceId: fc.constantFrom('A1', 'A2'),
              state: fc.constantFrom('occupied' as const, 'vacant' as const),
            }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
        async (raw, noise) => {
          const id = `prop-${run++}`;
          await put(id);
          const start = t.clock.now() - 3_600_000;
          const distinct = raw.map(({ t: sec, ...rest }, i) => ({
            ...rest,
            eventId: `e${i}`,
            observedAt: start + sec * 1000,
          })) as Observation[];
          const deliveries = [...distinct, ...distinct.filter((_, i) => noise[i]! % 2 === 0)];
          deliveries.sort((a, b) => noise[Number(a.eventId.slice(1))]! - noise[Number(b.eventId.slice(1))]!);
          // Concurrent batches of 1–3, all in flight at once.
          const batches: Observation[][] = [];
          for (let i = 0; i < deliveries.length; ) {
            const size = 1 + (noise[i % noise.length]! % 3);
            batches.push(deliveries.slice(i, i + size));
            i += size;
          }
          const statuses = await Promise.all(
            batches.map((b) => post(id, b.map(toWire)).then((r) => r.status)),
          );
          expect(statuses.every((s) => s === 200)).toBe(true);
          // The raw state (drivers see it clamped): exactly the ordered replay's last step.
          expect((await t.deps.lots.get(id, true))!.occupied).toBe(replay(distinct).at(-1)!.occupied);
          expect((await history(id)).map((o) => o.eventId).sort()).toEqual(
            distinct.map((o) => o.eventId).sort(),
          );
        },
      ),
      { numRuns: 15 },
    );
  }, 180_000);

  it('gives a sensor key its own lots only, and no staff route', async () => {
    await put('mine');
    await put('theirs');
    const created = await t.request('/v1/keys', {
      method: 'POST',
      headers: t.staff,
      json: { role: 'sensor', lots: ['mine'], label: 'gate sensor 1' },
    });
    expect(created.status).toBe(201);
    const key = await created.json();
    expect(key.secret).toMatch(/^pf_/);
    const sensor = { authorization: `Bearer ${key.secret}` };
    const obs = [{ eventId: 's1', observedAt: new Date(t.clock.now() - 1000).toISOString(), occupied: 3 }];
    expect((await post('mine', obs, sensor)).status).toBe(200);
    expect((await post('theirs', obs, sensor)).status).toBe(403);
    expect((await t.request('/v1/keys', { headers: sensor })).status).toBe(403);
    expect((await t.request('/v1/lots/mine/observations', { headers: sensor })).status).toBe(403);
    expect((await t.request('/v1/lots/mine', { method: 'DELETE', headers: sensor })).status).toBe(403);

    const listed = await (await t.request('/v1/keys', { headers: t.staff })).json();
    const mine = listed.keys.find((k: { keyId: string }) => k.keyId === key.keyId);
    expect(mine).toMatchObject({ role: 'sensor', lots: ['mine'], label: 'gate sensor 1' });
    expect(JSON.stringify(listed)).not.toContain(key.secret);

    expect((await t.request(`/v1/keys/${key.keyId}`, { method: 'DELETE', headers: t.staff })).status).toBe(
      204,
    );
    expect((await post('mine', obs, sensor)).status).toBe(401); // revoked at once
    expect((await t.request(`/v1/keys/${key.keyId}`, { method: 'DELETE', headers: t.staff })).status).toBe(
      404,
    );
  });

  it('validates key requests, naming the field', async () => {
    const res = await t.request('/v1/keys', {
      method: 'POST',
      headers: t.staff,
      json: { role: 'sensor', label: 'x' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: 'lots', message: 'a sensor key must list its lots' }]);
  });
});
