// When the store goes away: bounded waits, 503 problem+json with Retry-After (never a 500 or a
// hang), /health says so, and the service recovers by itself when the store comes back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { createDynamoClient } from '../../shared/store/client';
import { type EmbeddedStore, startEmbeddedStore } from '../../shared/store/embedded';
import { ensureTable } from '../../shared/store/schema';
import { STAFF_SECRET } from '../support/stores';

describe('store faults', () => {
  let dir: string;
  let store: EmbeddedStore | undefined;
  afterAll(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while the store is down, and recovers when it is back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parking-faults-'));
    store = await startEmbeddedStore({ path: join(dir, 'db') });
    const port = Number(new URL(store.endpoint).port);
    const client = createDynamoClient({ region: 'us-east-1', endpoint: store.endpoint });
    await ensureTable(client, 'parking');
    await new DynamoApiKeys(client, 'parking').ensureAdmin(STAFF_SECRET, Date.now(), true);
    const errors: unknown[] = [];
    const app = createApp(createDependencies({ client, tableName: 'parking' }), {
      onUnexpectedError: (e) => errors.push(e),
    });
    const staff = { authorization: `Bearer ${STAFF_SECRET}`, 'content-type': 'application/json' };
    const lot = {
      name: 'F',
      location: { lat: 52.48, lon: -1.9 },
      capacity: 10,
      type: 'surface',
      timeZone: 'UTC',
    };
    expect(
      (await app.request('/v1/lots/f', { method: 'PUT', headers: staff, body: JSON.stringify(lot) })).status,
    ).toBe(201);

    await store.close();
    store = undefined;
    for (const [method, path, body] of [
      ['GET', '/v1/lots/nearby?lat=52.48&lon=-1.9', undefined],
      ['GET', '/v1/lots/f', undefined],
      [
        'POST',
        '/v1/lots/f/observations',
        { observations: [{ eventId: 'e', observedAt: new Date().toISOString(), occupied: 1 }] },
      ],
    ] as const) {
      const started = Date.now();
      const res = await app.request(path, {
        method,
        headers: staff,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, path).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.text()).not.toMatch(/at .*\.ts|ECONNREFUSED/); // no stack, no internals
      expect(Date.now() - started).toBeLessThan(10_000); // bounded by the SDK's timeouts and retries
    }
    const health = await app.request('/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toBe('application/problem+json');

    // The store comes back on the same address with its data: no restart of the service needed.
    store = await startEmbeddedStore({ path: join(dir, 'db'), port });
    expect((await app.request('/health')).status).toBe(200);
    expect((await app.request('/v1/lots/f')).status).toBe(200);
    expect(errors).toEqual([]);
    client.destroy();
  });
});
