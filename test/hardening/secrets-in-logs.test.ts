// Secrets never reach the logs. The Lambda entry points run at DEBUG with everything they write
// captured, while keys are created, used, misused, revoked and sent where they do not belong (a
// query string, a body), and while the store fails underneath; then the captured logs are searched
// for every secret involved, and for the random part of each on its own.
// (The whole suite's output is also searched for anything shaped like a secret: support/log-capture.ts.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { httpApiEvent } from '../support/lambda-events';
import { captureOutput } from '../support/log-capture';
import { openStore, STAFF_SECRET, type TestStore } from '../support/stores';

type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;

describe('secrets in logs', () => {
  let store: TestStore;
  let api: Handler;
  let job: () => Promise<unknown>;
  const output = captureOutput();
  let storeClosed = false;

  beforeAll(async () => {
    store = await openStore('dynalite');
    const endpoint = (await store.client.config.endpoint?.())!;
    vi.stubEnv('TABLE_NAME', store.tableName);
    vi.stubEnv('DYNAMODB_ENDPOINT', `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('LOG_LEVEL', 'DEBUG');
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, Date.now(), true);
    vi.resetModules(); // the entry points read their environment at import, as a cold start does
    ({ handler: api } = (await import('../../functions/api')) as unknown as { handler: Handler });
    ({ handler: job } = (await import('../../functions/jobs')) as unknown as { handler: typeof job });
  });
  afterAll(async () => {
    output.stop();
    vi.unstubAllEnvs();
    if (!storeClosed) await store.close();
  });

  async function call(method: string, path: string, secret: string | undefined, body?: unknown) {
    const headers: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await api(
      httpApiEvent(method, path, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    );
    return { status: res.statusCode, body: JSON.parse(res.body || 'null') as Record<string, unknown> };
  }

  it('never writes a secret, whole or in part, whatever is done with it', async () => {
    const secrets = [STAFF_SECRET];
    const lot = {
      name: 'Moor Street',
      location: { lat: 52.4791, lon: -1.8925 },
      capacity: 40,
      type: 'surface',
      timeZone: 'Europe/London',
    };
    expect((await call('PUT', '/v1/lots/moor-street', STAFF_SECRET, lot)).status).toBe(201);
    expect((await call('PUT', '/v1/lots/elsewhere', STAFF_SECRET, lot)).status).toBe(201);
    const made = async (body: unknown) => {
      const res = await call('POST', '/v1/keys', STAFF_SECRET, body);
      expect(res.status).toBe(201);
      const secret = String(res.body.secret);
      secrets.push(secret);
      return { secret, keyId: String(res.body.keyId) };
    };
    const staff = await made({ role: 'staff', label: 'ops' });
    const sensor = await made({ role: 'sensor', lots: ['moor-street'], label: 'gate 1' });
    const other = await made({ role: 'sensor', lots: ['elsewhere'], label: 'gate 2' });
    const observation = (eventId: string) => ({
      observations: [{ eventId, observedAt: new Date().toISOString(), occupied: 3 }],
    });

    // Used as intended, used where it has no right, and sent where no secret should go.
    expect((await call('GET', '/v1/keys', staff.secret)).status).toBe(200);
    expect(
      (await call('POST', '/v1/lots/moor-street/observations', sensor.secret, observation('a'))).status,
    ).toBe(200);
    expect(
      (await call('POST', '/v1/lots/moor-street/observations', other.secret, observation('b'))).status,
    ).toBe(403);
    expect((await call('GET', '/v1/keys', sensor.secret)).status).toBe(403);
    expect(
      (await call('GET', `/v1/lots/nearby?lat=52.48&lon=-1.89&key=${sensor.secret}`, undefined)).status,
    ).toBe(200);
    expect(
      (await call('PUT', '/v1/lots/x', staff.secret, { ...lot, name: 7, secret: sensor.secret })).status,
    ).toBe(400);
    expect((await call('GET', '/v1/keys', `${staff.secret}x`)).status).toBe(401);
    expect((await call('GET', '/v1/keys', staff.secret.replace('pf_', 'pf-'))).status).toBe(401);
    expect((await call('DELETE', `/v1/keys/${sensor.keyId}`, staff.secret)).status).toBe(204);
    expect(
      (await call('POST', '/v1/lots/moor-street/observations', sensor.secret, observation('c'))).status,
    ).toBe(401);
    // A network server's secret: used on its webhook, misused on a staff route, mistyped.
    const created = await call('PUT', '/v1/integrations/city-tts', STAFF_SECRET, {
      network: 'tts',
      label: 'tts',
    });
    expect(created.status).toBe(201);
    const integration = String(created.body.secret);
    secrets.push(integration);
    expect(
      (
        await call('PUT', '/v1/integrations/city-tts/devices/bay-1', staff.secret, {
          lotId: 'moor-street',
          spaceId: 'B1',
        })
      ).status,
    ).toBe(200);
    const uplink = {
      end_device_ids: { device_id: 'bay-1' },
      uplink_message: {
        f_cnt: 3,
        decoded_payload: { occupied: true },
        received_at: new Date().toISOString(),
      },
    };
    expect((await call('POST', '/v1/integrations/city-tts/uplinks', integration, uplink)).status).toBe(200);
    expect((await call('GET', '/v1/keys', integration)).status).toBe(401);
    expect((await call('POST', '/v1/integrations/city-tts/uplinks', `${integration}x`, uplink)).status).toBe(
      401,
    );
    await job();

    // And while the store is gone: errors are logged with their causes, and still no secret.
    await store.close();
    storeClosed = true;
    expect((await call('GET', '/v1/keys', staff.secret)).status).toBe(503);
    expect(
      (await call('POST', '/v1/lots/moor-street/observations', sensor.secret, observation('d'))).status,
    ).toBe(503);
    await job().catch(() => undefined);

    const logs = output.text();
    // The capture works and saw the entry points at DEBUG: metrics, the job's report, the store's failure.
    expect(logs).toContain('"_aws"');
    expect(logs).toContain('rollups refreshed');
    expect(logs).toContain('store unavailable: answered 503');
    expect(secrets).toHaveLength(5);
    for (const secret of secrets) {
      expect(logs.includes(secret), 'a whole secret is in the logs').toBe(false);
      // `pf_<keyId>.<random>` for API keys, `pfi_<random>` for integrations.
      const randomPart = secret.startsWith('pfi_') ? secret.slice(4) : secret.slice(secret.indexOf('.') + 1);
      expect(logs.includes(randomPart), 'the random part of a secret is in the logs').toBe(false);
    }
  });
});
