// functions/api.ts as Lambda runs it: HTTP API v2 events in, API Gateway results out, against a
// real store; every answer equals what app.request() gives for the same request. The handler
// builds its own dependencies with the real clock (as on Lambda), so the clock is frozen here
// (only Date is faked; timers run): both paths then compute the same data age.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { httpApiEvent } from '../support/lambda-events';
import { openStore, STAFF_SECRET, storeKinds, type TestStore } from '../support/stores';

describe.each(storeKinds())('Lambda handler on %s', (kind) => {
  let store: TestStore;
  let handler: (
    event: unknown,
  ) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string }>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-23T10:00:00Z'));
    store = await openStore(kind);
    const endpoint = (store.client.config.endpoint ? await store.client.config.endpoint() : undefined)!;
    Object.assign(process.env, {
      TABLE_NAME: store.tableName,
      DYNAMODB_ENDPOINT: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'SILENT',
    });
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, Date.now(), true);
    vi.resetModules(); // functions/api.ts reads its environment once, at import (a cold start)
    ({ handler } = (await import('../../functions/api')) as unknown as { handler: typeof handler });
    app = createApp(createDependencies({ client: store.client, tableName: store.tableName }));
  });
  afterAll(async () => {
    await store.close();
    vi.useRealTimers();
  });

  const staff = { authorization: `Bearer ${STAFF_SECRET}` };
  const lot = {
    name: 'Moor Street',
    location: { lat: 52.4791, lon: -1.8925 },
    capacity: 40,
    type: 'surface',
    features: [],
    timeZone: 'Europe/London',
  };

  async function both(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const h = { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) };
    const viaLambda = await handler(
      httpApiEvent(method, path, { headers: h, ...(text ? { body: text } : {}) }),
    );
    const viaApp = await app.request(path, { method, headers: h, ...(text ? { body: text } : {}) });
    return { viaLambda, viaApp, appBody: await viaApp.text() };
  }

  it('creates a lot, ingests a count and answers nearby exactly as app.request() does', async () => {
    const put = await handler(
      httpApiEvent('PUT', '/v1/lots/moor-st', {
        headers: { ...staff, 'content-type': 'application/json' },
        body: JSON.stringify(lot),
      }),
    );
    expect(put.statusCode).toBe(201);
    const observedAt = new Date(Date.now() - 60_000).toISOString();
    const posted = await handler(
      httpApiEvent('POST', '/v1/lots/moor-st/observations', {
        headers: { ...staff, 'content-type': 'application/json' },
        body: JSON.stringify({ observations: [{ eventId: 'e1', observedAt, occupied: 12 }] }),
      }),
    );
    expect(JSON.parse(posted.body).applied).toBe(1);

    const nearby = await both('GET', '/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=2000');
    expect(nearby.viaLambda.statusCode).toBe(200);
    const fromLambda = JSON.parse(nearby.viaLambda.body);
    const fromApp = JSON.parse(nearby.appBody);
    expect(fromLambda.lots).toEqual(fromApp.lots);
    expect(fromLambda.lots).toHaveLength(1);
    expect(fromLambda.lots[0]).toMatchObject({
      id: 'moor-st',
      free: 28,
      distance: expect.any(Number),
      dataAge: 60,
    });
  });

  it('gives the same status, content type and body for errors', async () => {
    for (const [method, path, headers, body] of [
      ['GET', '/v1/lots/nearby?lat=91&lon=0', {}, undefined],
      ['GET', '/v1/lots/unknown-lot', {}, undefined],
      ['DELETE', '/v1/lots/moor-st', {}, undefined],
      ['PUT', '/v1/lots/bad', staff, { name: 'x' }],
      ['GET', '/v1/lots/nearby?lat=1&lat=2&lon=3', {}, undefined],
    ] as const) {
      const r = await both(method, path, headers, body);
      expect(r.viaLambda.statusCode, path).toBe(r.viaApp.status);
      expect(r.viaLambda.headers?.['content-type'], path).toBe(r.viaApp.headers.get('content-type'));
      expect(JSON.parse(r.viaLambda.body), path).toEqual(JSON.parse(r.appBody));
    }
  });
});
