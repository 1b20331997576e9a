// LoRaWAN webhooks end to end through the real app on a real store: messages as The Things Stack
// and ChirpStack document them (test/fixtures/lorawan/README.md cites the pages), one observation
// per uplink, exactly once however often the network server redelivers it.
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, storeKinds } from '../support/stores';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/lorawan/${name}`, import.meta.url), 'utf8'));

const TTS_UPLINK = fixture('tts-uplink.json');
const TTS_JOIN = fixture('tts-join-accept.json');
const CHIRPSTACK_UP = fixture('chirpstack-up.json');
const CHIRPSTACK_JOIN = fixture('chirpstack-join.json');

/** A copy of a TTS uplink with other values in `uplink_message`. */
function ttsUplink(change: Record<string, unknown>, deviceId = 'dev1') {
  const message = structuredClone(TTS_UPLINK) as {
    end_device_ids: { device_id: string };
    uplink_message: Record<string, unknown>;
  };
  message.end_device_ids.device_id = deviceId;
  Object.assign(message.uplink_message, change);
  return message;
}

describe.each(storeKinds())('LoRaWAN webhooks on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let ttsSecret: string;
  let chirpSecret: string;

  const webhook = (id: string, secret: string | undefined, body: unknown, query = '') =>
    t.request(`/v1/integrations/${id}/uplinks${query}`, {
      method: 'POST',
      headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` },
      json: body,
    });
  const lot = async (id: string) =>
    (await (await t.request(`/v1/lots/${id}`)).json()) as {
      occupied: number | null;
      observedAt: string | null;
    };
  const history = async (id: string) =>
    (
      (await (
        await t.request(`/v1/lots/${id}/observations?from=2020-02-01T00:00:00Z&to=2020-02-28T00:00:00Z`, {
          headers: t.staff,
        })
      ).json()) as { observations: unknown[] }
    ).observations;
  beforeAll(async () => {
    t = await openApp(kind);
    for (const id of ['bays', 'garage']) {
      const res = await t.request(`/v1/lots/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: {
          name: id,
          location: { lat: 52.48, lon: -1.9 },
          capacity: 40,
          type: 'surface',
          timeZone: 'UTC',
        },
      });
      expect(res.status).toBe(201);
    }
    const create = async (id: string, network: string) => {
      const res = await t.request(`/v1/integrations/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: { network, label: `${network} test` },
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { secret: string; webhookPath: string };
      expect(body.webhookPath).toBe(`/v1/integrations/${id}/uplinks`);
      return body.secret;
    };
    ttsSecret = await create('city-tts', 'tts');
    chirpSecret = await create('city-chirp', 'chirpstack');
    const map = async (integration: string, device: string, json: unknown) => {
      const res = await t.request(`/v1/integrations/${integration}/devices/${device}`, {
        method: 'PUT',
        headers: t.staff,
        json,
      });
      expect(res.status).toBe(200);
    };
    await map('city-tts', 'dev1', { lotId: 'bays', spaceId: 'B-1' });
    await map('city-tts', 'counter1', { lotId: 'garage' });
    // Mapped in upper case; ChirpStack writes DevEUIs in lower case.
    await map('city-chirp', '0101010101010101'.toUpperCase(), { lotId: 'garage' });
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('applies a The Things Stack uplink once however often it is redelivered', async () => {
    const first = await webhook('city-tts', ttsSecret, TTS_UPLINK);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ outcome: 'applied' });
    for (let i = 0; i < 3; i++) {
      const again = await webhook('city-tts', ttsSecret, TTS_UPLINK);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ outcome: 'duplicate' });
    }
    expect((await lot('bays')).occupied).toBe(1);
    const observations = (await history('bays')) as { observedAt: string; spaceId: string; state: string }[];
    expect(observations).toHaveLength(1);
    // The Network Server's receive time, not the Application Server's (top level).
    expect(observations[0]).toMatchObject({
      observedAt: '2020-02-12T15:15:45.789Z',
      spaceId: 'B-1',
      state: 'occupied',
    });
  });

  it('applies the next frame of the same device, and a vacant bay frees its space', async () => {
    const res = await webhook(
      'city-tts',
      ttsSecret,
      ttsUplink({ f_cnt: 2, decoded_payload: { occupied: false }, received_at: '2020-02-12T15:20:00.5Z' }),
    );
    expect(await res.json()).toEqual({ outcome: 'applied' });
    expect((await lot('bays')).occupied).toBe(0);
    expect(await history('bays')).toHaveLength(2);
  });

  it('applies a ChirpStack up event as the count of a lot, at the event time', async () => {
    const res = await webhook('city-chirp', chirpSecret, CHIRPSTACK_UP, '?event=up');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'applied' });
    expect(await (await webhook('city-chirp', chirpSecret, CHIRPSTACK_UP, '?event=up')).json()).toEqual({
      outcome: 'duplicate',
    });
    const garage = await lot('garage');
    expect(garage.occupied).toBe(17);
    expect(garage.observedAt).toBe('2022-07-18T09:34:15.775Z');
  });

  it('acknowledges with 202 what it cannot use, and changes nothing', async () => {
    const before = await snapshot();
    const cases: [string, string, unknown, string][] = [
      ['city-chirp', chirpSecret, CHIRPSTACK_JOIN, '?event=join'],
      ['city-chirp', chirpSecret, CHIRPSTACK_UP, '?event=status'],
      ['city-chirp', chirpSecret, CHIRPSTACK_UP, ''],
      ['city-chirp', chirpSecret, { ...CHIRPSTACK_UP, object: { temperature: 21 } }, '?event=up'],
      ['city-chirp', chirpSecret, { ...CHIRPSTACK_UP, object: undefined }, '?event=up'],
      [
        'city-chirp',
        chirpSecret,
        { ...CHIRPSTACK_UP, deviceInfo: { devEui: '0202020202020202' }, fCnt: 11 },
        '?event=up',
      ],
      ['city-chirp', chirpSecret, { ...CHIRPSTACK_UP, object: { occupied: 2.5 }, fCnt: 12 }, '?event=up'],
      ['city-chirp', chirpSecret, { ...CHIRPSTACK_UP, object: { occupied: true }, fCnt: 13 }, '?event=up'],
      ['city-chirp', chirpSecret, { ...CHIRPSTACK_UP, time: 'yesterday' }, '?event=up'],
      ['city-tts', ttsSecret, TTS_JOIN, ''],
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9 }, 'nobody'), ''],
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, decoded_payload: { luminosity: 0.64 } }), ''],
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, decoded_payload: undefined }), ''],
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, decoded_payload: { occupied: 3 } }), ''],
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, decoded_payload: { occupied: 'yes' } }), ''],
      // A counter device sent a bay's boolean.
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, decoded_payload: { occupied: true } }, 'counter1'), ''],
      // Received after the clock (2026-11-23T10:00Z) plus 5 minutes of skew.
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, received_at: '2026-11-23T10:06:00Z' }), ''],
      ['city-tts', ttsSecret, ttsUplink({ f_cnt: 9, received_at: '2300-01-01T00:00:00Z' }), ''],
      ['city-tts', ttsSecret, { uplink_message: 'nonsense' }, ''],
      ['city-tts', ttsSecret, {}, ''],
    ];
    for (const [id, secret, body, query] of cases) {
      const res = await webhook(id, secret, body, query);
      const answer = (await res.json()) as { ignored?: string };
      expect(res.status, `${id} ${query} ${JSON.stringify(body).slice(0, 120)}`).toBe(202);
      expect(answer.ignored, JSON.stringify(answer)).toMatch(/\S/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing or wrong secret, a staff key and another integration’s secret with 401', async () => {
    const before = await snapshot();
    for (const secret of [
      undefined,
      'pfi_wrongwrongwrongwrongwrongwrongwrongwrongwro',
      t.staff.authorization.slice(7),
      chirpSecret,
    ]) {
      const res = await webhook('city-tts', secret, ttsUplink({ f_cnt: 30 }));
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await webhook('no-such-integration', ttsSecret, TTS_UPLINK)).status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it('stores an integration secret only as its hash', async () => {
    const { Items } = await t.store.client.send(new ScanCommand({ TableName: t.store.tableName }));
    const text = JSON.stringify(Items);
    expect(text).not.toContain(ttsSecret);
    expect(text).not.toContain(ttsSecret.slice(4, 24));
  });

  it('rotates the secret on a second PUT and keeps the devices', async () => {
    const res = await t.request('/v1/integrations/city-tts', {
      method: 'PUT',
      headers: t.staff,
      json: { network: 'tts', label: 'rotated' },
    });
    expect(res.status).toBe(200);
    const { secret } = (await res.json()) as { secret: string };
    expect(secret).not.toBe(ttsSecret);
    expect((await webhook('city-tts', ttsSecret, ttsUplink({ f_cnt: 40 }))).status).toBe(401);
    const applied = await webhook(
      'city-tts',
      secret,
      ttsUplink({ f_cnt: 40, decoded_payload: { occupied: true }, received_at: '2020-02-12T16:00:00Z' }),
    );
    expect(await applied.json()).toEqual({ outcome: 'applied' });
    ttsSecret = secret;
  });

  it('maps devices only to lots that exist, on integrations that exist', async () => {
    const noLot = await t.request('/v1/integrations/city-tts/devices/dev9', {
      method: 'PUT',
      headers: t.staff,
      json: { lotId: 'no-such-lot' },
    });
    expect(noLot.status).toBe(400);
    expect(JSON.stringify(await noLot.json())).toContain('lotId');
    const noIntegration = await t.request('/v1/integrations/nothing/devices/dev9', {
      method: 'PUT',
      headers: t.staff,
      json: { lotId: 'bays' },
    });
    expect(noIntegration.status).toBe(404);
    const unknownField = await t.request('/v1/integrations/city-tts/devices/dev9', {
      method: 'PUT',
      headers: t.staff,
      json: { lotId: 'bays', capacity: 3 },
    });
    expect(unknownField.status).toBe(400);
  });

  it('forgets the devices of a deleted integration, also when the id is created again', async () => {
    expect(
      (await t.request('/v1/integrations/city-tts', { method: 'DELETE', headers: t.staff })).status,
    ).toBe(204);
    expect(
      (await t.request('/v1/integrations/city-tts', { method: 'DELETE', headers: t.staff })).status,
    ).toBe(404);
    expect((await webhook('city-tts', ttsSecret, ttsUplink({ f_cnt: 50 }))).status).toBe(401);
    const again = await t.request('/v1/integrations/city-tts', {
      method: 'PUT',
      headers: t.staff,
      json: { network: 'tts', label: 'again' },
    });
    expect(again.status).toBe(201);
    const { secret } = (await again.json()) as { secret: string };
    const res = await webhook(
      'city-tts',
      secret,
      ttsUplink({ f_cnt: 50, received_at: '2020-02-12T17:00:00Z' }),
    );
    expect(res.status).toBe(202);
    expect(((await res.json()) as { ignored: string }).ignored).toContain('unknown device');
  });

  /** Every item of the table, to show that a refused or ignored call changed nothing. */
  async function snapshot() {
    const { Items } = await t.store.client.send(
      new ScanCommand({ TableName: t.store.tableName, ConsistentRead: true }),
    );
    return (Items ?? []).map((item) => JSON.stringify(item)).sort();
  }
});
