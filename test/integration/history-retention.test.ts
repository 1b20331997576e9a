// History is kept for HISTORY_RETENTION_DAYS from when an observation arrives: its TTL counts
// from receivedAt, so a backfill of old data is kept (and deduplicated) as long as live data.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY_RETENTION_DAYS } from '../../shared/config';
import { dataScope } from '../../shared/domain/lot-incarnation';
import { observationKey } from '../../shared/store/keys';
import { openApp, storeKinds } from '../support/stores';

describe.each(storeKinds())('history retention on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const stored = async (lotId: string, eventId: string) => {
    const lot = (await t.deps.lots.get(lotId, true))!;
    const { Item } = await t.store.client.send(
      new GetItemCommand({
        TableName: t.store.tableName,
        Key: { pk: { S: observationKey(dataScope(lot), eventId).pk }, sk: { S: `E#${eventId}` } },
        ConsistentRead: true,
      }),
    );
    return unmarshall(Item!) as { receivedAt: number; expiresAt: number; observedAt: number };
  };

  it('sets expiresAt from receivedAt, also for a backfill of old data, and keeps recognising its resends', async () => {
    const put = await t.request('/v1/lots/backfill', {
      method: 'PUT',
      headers: t.staff,
      json: {
        name: 'Backfill',
        location: { lat: 52.48, lon: -1.9 },
        capacity: 100,
        type: 'garage',
        timeZone: 'Europe/London',
      },
    });
    expect(put.status).toBe(201);
    const arrival = t.clock.now();
    const batch = [
      // Two years old (a city importing its records), and live.
      { eventId: 'old-1', observedAt: new Date(arrival - 730 * 86_400_000).toISOString(), occupied: 40 },
      { eventId: 'live-1', observedAt: new Date(arrival - 60_000).toISOString(), occupied: 41 },
    ];
    const post = () =>
      t.request('/v1/lots/backfill/observations', {
        method: 'POST',
        headers: t.staff,
        json: { observations: batch },
      });
    expect((await (await post()).json()).applied).toBe(2);

    const retention = DEFAULT_HISTORY_RETENTION_DAYS * 86_400;
    for (const id of ['old-1', 'live-1']) {
      const item = await stored('backfill', id);
      expect(item.receivedAt).toBe(arrival);
      expect(item.expiresAt).toBe(Math.floor(arrival / 1000) + retention);
    }
    // The backfilled item would not have expired on arrival (it did when TTL counted from observedAt).
    expect((await stored('backfill', 'old-1')).expiresAt).toBeGreaterThan(arrival / 1000);

    // A resend within the retention is recognised, and the original arrival (and TTL) is kept.
    t.clock.advance((DEFAULT_HISTORY_RETENTION_DAYS - 1) * 86_400_000);
    const again = await (await post()).json();
    expect(again).toMatchObject({ applied: 0, duplicates: 2 });
    expect((await stored('backfill', 'old-1')).receivedAt).toBe(arrival);
  });
});
