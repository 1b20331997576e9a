// A lot id used again: deleted and created anew, the lot starts empty. Its history, bays, rollups
// and duplicate records stay with the old incarnation (fenced off by generation), keys made for
// the old one stop writing, and the old one's leftovers are purged later, a bounded amount at a
// time. End to end through the real app, on both stores.
import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataScope } from '../../shared/domain/lot-incarnation';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import {
  bayPk,
  lotKey,
  observationKey,
  observationPk,
  RETIRED_PARTITION,
  rollupPk,
} from '../../shared/store/keys';
import { DynamoLots } from '../../shared/store/lots';
import { DynamoRollups } from '../../shared/store/rollups';
import { purgeDeletedLots } from '../../shared/use-cases/manage-lots';
import { refreshRollups } from '../../shared/use-cases/reports';
import { openApp, storeKinds } from '../support/stores';

const lotBody = (capacity: number) => ({
  name: 'Reused lot',
  location: { lat: 52.4791, lon: -1.8925 },
  capacity,
  type: 'surface',
  zone: 'reuse-zone',
  timeZone: 'Europe/London',
  staleAfterSeconds: 3600,
});

// The old lot's observations (its clock reads 2026-11-23T10:00Z): 17, then 19, 20, 21.
const countBatch = [{ eventId: 'c1', observedAt: '2026-11-23T09:00:00Z', occupied: 17 }];
const mixedBatch = [
  { eventId: 'g1', observedAt: '2026-11-23T09:10:00Z', entries: 2, exits: 0 },
  { eventId: 'b1', observedAt: '2026-11-23T09:20:00Z', spaceId: 'L1', state: 'occupied' },
  { eventId: 'b9', observedAt: '2026-11-23T09:25:00Z', spaceId: 'L9', state: 'occupied' },
];
const RANGE = 'from=2026-11-23T08:00:00Z&to=2026-11-23T10:00:00Z';

describe.each(storeKinds())('a lot deleted and created again on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let generations = 0;
  beforeAll(async () => {
    t = await openApp(kind, undefined, { newId: () => `gen${++generations}` });
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = (id: string, capacity: number) =>
    t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: lotBody(capacity) });
  const post = (id: string, observations: unknown[], headers: Record<string, string> = t.staff) =>
    t.request(`/v1/lots/${id}/observations`, { method: 'POST', headers, json: { observations } });
  const json = async (path: string) => {
    const res = await t.request(path, { headers: t.staff });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };
  const sensorKey = async (lots: string[]) => {
    const res = await t.request('/v1/keys', {
      method: 'POST',
      headers: t.staff,
      json: { role: 'sensor', lots, label: 'gate' },
    });
    return { status: res.status, body: await res.json() };
  };
  const partition = async (client: DynamoDBClient, pk: string) =>
    (
      await client.send(
        new QueryCommand({
          TableName: t.store.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const peaks = (rows: { peakOccupied: number | null }[]) => rows.map((r) => r.peakOccupied ?? -Infinity);

  it('starts empty: history, bays, rollups, duplicates and reports show nothing of the old lot', async () => {
    expect((await put('reuse', 20)).status).toBe(201);
    const key = await sensorKey(['reuse']);
    expect(key.status).toBe(201);
    const sensor = { authorization: `Bearer ${key.body.secret}` };
    expect((await (await post('reuse', countBatch, sensor)).json()).applied).toBe(1);
    expect((await (await post('reuse', mixedBatch, sensor)).json()).applied).toBe(3);

    // The old lot as it was: 21 occupied (raw), four observations, two bays, a peak of 21.
    expect(await json('/v1/lots/reuse')).toMatchObject({ occupied: 20, flags: ['over_capacity'] });
    expect((await json(`/v1/lots/reuse/observations?${RANGE}`)).observations).toHaveLength(4);
    const oldReport = await json(`/v1/reports/utilization?lotId=reuse&bucket=hour&${RANGE}`);
    expect(Math.max(...peaks(oldReport.rows))).toBe(21);
    const zoneBefore = await json(`/v1/reports/utilization?zone=reuse-zone&bucket=hour&${RANGE}`);
    expect(Math.max(...peaks(zoneBefore.rows))).toBe(21);
    const old = (await t.deps.lots.get('reuse', true))!;
    expect(old.generation).toBe('gen1');
    const oldScope = dataScope(old);
    expect(await partition(t.store.client, bayPk(oldScope))).toHaveLength(2);
    expect((await partition(t.store.client, rollupPk(oldScope))).length).toBeGreaterThan(0);

    expect((await t.request('/v1/lots/reuse', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    expect((await post('reuse', countBatch, sensor)).status).toBe(404); // no lot has the id now
    const refused = await sensorKey(['reuse', 'never-made']);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'lots', message: 'no lot reuse, never-made' }]);

    expect((await put('reuse', 5)).status).toBe(201);
    expect((await t.deps.lots.get('reuse', true))!.generation).toBe('gen2');
    expect(await json('/v1/lots/reuse')).toMatchObject({ occupied: null, status: 'nodata', capacity: 5 });
    expect((await json(`/v1/lots/reuse/observations?${RANGE}`)).observations).toEqual([]);
    const empty = await json(`/v1/reports/utilization?lotId=reuse&bucket=hour&${RANGE}`);
    expect(empty.rows.map((r: { coverage: number }) => r.coverage)).toEqual([0, 0]);

    // The old sensor key named the old lot: refused, and nothing is written.
    const stale = await post('reuse', mixedBatch, sensor);
    expect(stale.status).toBe(403);
    expect((await stale.json()).detail).toMatch(/earlier lot reuse/);
    expect((await json(`/v1/lots/reuse/observations?${RANGE}`)).observations).toEqual([]);
    expect(await json('/v1/lots/reuse')).toMatchObject({ occupied: null });

    // A first "vacant" for bay L9 changes nothing on a lot that never saw L9 (the old lot's
    // occupied L9 would make it −1).
    const fresh = await sensorKey(['reuse']);
    const newSensor = { authorization: `Bearer ${fresh.body.secret}` };
    const vacant = [{ eventId: 'n1', observedAt: '2026-11-23T09:05:00Z', spaceId: 'L9', state: 'vacant' }];
    expect((await (await post('reuse', vacant, newSensor)).json()).applied).toBe(1);
    expect(await json('/v1/lots/reuse')).toMatchObject({ occupied: 0 });

    // The old batch, resent, is new here: applied, and counted from this lot's own state.
    const resent = await (await post('reuse', mixedBatch, newSensor)).json();
    expect(resent.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    expect(await json('/v1/lots/reuse')).toMatchObject({ occupied: 4, capacity: 5, flags: [] });
    expect((await (await post('reuse', mixedBatch, newSensor)).json()).duplicates).toBe(3);

    const history = (await json(`/v1/lots/reuse/observations?${RANGE}`)).observations;
    expect(history.map((o: { eventId: string }) => o.eventId)).toEqual(['n1', 'g1', 'b1', 'b9']);
    await refreshRollups(t.deps);
    for (const query of [`lotId=reuse&bucket=hour&${RANGE}`, `zone=reuse-zone&bucket=hour&${RANGE}`]) {
      const rows = (await json(`/v1/reports/utilization?${query}`)).rows;
      expect(Math.max(...peaks(rows))).toBe(4); // never 17 or 21
      expect(rows.every((r: { utilization: number | null }) => (r.utilization ?? 0) <= 1)).toBe(true);
    }
    const heat = await json(`/v1/reports/heatmap?lotId=reuse&from=2026-11-23&to=2026-11-24`);
    for (const cell of heat.cells) expect(cell.utilization ?? 0).toBeLessThanOrEqual(4 / 5);

    // The old incarnation's bays and rollups are still there, unreachable; the purge reclaims
    // them, a bounded amount at a time, once requests that could still write them are over.
    expect(await partition(t.store.client, bayPk(oldScope))).toHaveLength(2);
    expect((await purgeDeletedLots(t.deps)).itemsDeleted).toBe(0); // within the grace period
    t.clock.advance(16 * 60_000);
    const leftovers =
      (await partition(t.store.client, bayPk(oldScope))).length +
      (await partition(t.store.client, rollupPk(oldScope))).length;
    let deleted = 0;
    for (let run = 0; run < leftovers + 2; run++) {
      const report = await t.deps.lots.purgeRetired({ now: t.clock.now(), maxItems: 1 });
      expect(report.itemsDeleted).toBeLessThanOrEqual(1);
      deleted += report.itemsDeleted;
      if (report.purged === 1) break;
    }
    expect(deleted).toBe(leftovers);
    expect(await partition(t.store.client, bayPk(oldScope))).toEqual([]);
    expect(await partition(t.store.client, rollupPk(oldScope))).toEqual([]);
    expect(await partition(t.store.client, RETIRED_PARTITION)).toEqual([]);
    // The new lot's data is untouched.
    expect(
      await partition(t.store.client, bayPk(dataScope((await t.deps.lots.get('reuse', true))!))),
    ).toHaveLength(2);
    expect(await json('/v1/lots/reuse')).toMatchObject({ occupied: 4 });
  });

  it('never lets a writer that read the old lot overwrite the new one at the same version', async () => {
    expect((await put('aba', 20)).status).toBe(201);
    expect((await post('aba', countBatch)).status).toBe(200);
    const old = (await t.deps.lots.get('aba', true))!;
    expect(old.rollupFrom).not.toBeNull();
    expect((await t.request('/v1/lots/aba', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    expect((await put('aba', 5)).status).toBe(201);
    // Bring the new lot to the old one's version and rollup sequence (versions restart at 1).
    for (let i = 0; (await t.deps.lots.get('aba', true))!.version < old.version; i++) {
      await post('aba', [{ eventId: `n${i}`, observedAt: '2026-11-23T09:30:00Z', occupied: 1 }]);
    }
    const now = (await t.deps.lots.get('aba', true))!;
    expect(now.version).toBe(old.version);
    expect(now.rollupSeq).toBe(old.rollupSeq);

    const lots = new DynamoLots(t.store.client, t.store.tableName);
    expect(await lots.putIfVersion({ ...old, capacity: 999 }, old.version)).toBe(false);
    // A rollup rebuild of the old incarnation must not clear the new one's mark.
    await new DynamoRollups(t.store.client, t.store.tableName).ensureFresh(old, {
      itemsRead: 0,
      rawObservationsRead: 0,
    });
    const after = (await t.deps.lots.get('aba', true))!;
    expect(after).toMatchObject({ capacity: 5, generation: now.generation, rollupFrom: now.rollupFrom });
    expect(after.rollupFrom).not.toBeNull();
  });

  it('keeps lots written before generations existed readable in their old layout, and fences them too', async () => {
    expect((await put('legacy', 20)).status).toBe(201);
    // A lot item as the service wrote it before generations: no `generation` attribute.
    await t.store.client.send(
      new UpdateItemCommand({
        TableName: t.store.tableName,
        Key: marshall(lotKey('legacy')),
        UpdateExpression: 'REMOVE #g',
        ExpressionAttributeNames: { '#g': 'generation' },
      }),
    );
    // And a sensor key as it was made then: no generations recorded.
    const oldKey = await new DynamoApiKeys(t.store.client, t.store.tableName).create(
      { role: 'sensor', lots: ['legacy'], label: 'made before generations' },
      t.clock.now(),
    );
    const sensor = { authorization: `Bearer ${oldKey.secret}` };
    expect((await (await post('legacy', countBatch, sensor)).json()).applied).toBe(1);
    expect((await (await post('legacy', mixedBatch, sensor)).json()).applied).toBe(3);
    const item = await t.store.client.send(
      new GetItemCommand({
        TableName: t.store.tableName,
        Key: marshall(observationKey('legacy', 'c1')),
        ConsistentRead: true,
      }),
    );
    expect(unmarshall(item.Item!)).toMatchObject({ pk: 'OBS#legacy', lotId: 'legacy', occupied: 17 });
    expect(await partition(t.store.client, bayPk('legacy'))).toHaveLength(2);
    expect((await json(`/v1/lots/legacy/observations?${RANGE}`)).observations).toHaveLength(4);
    expect((await (await post('legacy', countBatch, sensor)).json()).duplicates).toBe(1);
    const rows = (await json(`/v1/reports/utilization?lotId=legacy&bucket=hour&${RANGE}`)).rows;
    expect(Math.max(...peaks(rows))).toBe(21);
    expect(await partition(t.store.client, observationPk('legacy'))).toHaveLength(4);

    expect((await t.request('/v1/lots/legacy', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    expect((await put('legacy', 5)).status).toBe(201);
    expect((await t.deps.lots.get('legacy', true))!.generation).not.toBe('');
    expect((await post('legacy', countBatch, sensor)).status).toBe(403);
    expect((await json(`/v1/lots/legacy/observations?${RANGE}`)).observations).toEqual([]);
    expect((await (await post('legacy', countBatch)).json()).applied).toBe(1);

    t.clock.advance(16 * 60_000);
    await purgeDeletedLots(t.deps);
    expect(await partition(t.store.client, bayPk('legacy'))).toEqual([]);
    expect(await partition(t.store.client, rollupPk('legacy'))).toEqual([]);
  });

  it('drops the marker of a DELETE that never removed its lot, and purges nothing of that lot', async () => {
    expect((await put('kept', 20)).status).toBe(201);
    expect((await post('kept', mixedBatch)).status).toBe(200);
    const lot = (await t.deps.lots.get('kept', true))!;
    // What a DELETE leaves when it dies between its marker and its delete.
    const { DynamoRetiredLots } = await import('../../shared/store/retired-lots');
    await new DynamoRetiredLots(t.store.client, t.store.tableName).mark(lot, t.clock.now());
    t.clock.advance(16 * 60_000);
    await purgeDeletedLots(t.deps);
    expect(await partition(t.store.client, bayPk(dataScope(lot)))).toHaveLength(2);
    expect((await partition(t.store.client, RETIRED_PARTITION)).map((i) => unmarshall(i).sk)).not.toContain(
      dataScope(lot),
    );
  });
});
