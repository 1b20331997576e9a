// functions/api.ts counts failed authentications by API Gateway's requestContext.http.sourceIp,
// whatever X-Forwarded-For says, and serves a valid key from a throttled address.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { httpApiEvent } from '../support/lambda-events';
import { openStore, STAFF_SECRET, type TestStore } from '../support/stores';

type Handler = (event: unknown) => Promise<{ statusCode: number; headers?: Record<string, string> }>;

describe('Lambda handler: who a client is', () => {
  let store: TestStore;
  let handler: Handler;

  beforeAll(async () => {
    store = await openStore('dynalite');
    const endpoint = (await store.client.config.endpoint?.())!;
    vi.stubEnv('TABLE_NAME', store.tableName);
    vi.stubEnv('DYNAMODB_ENDPOINT', `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('LOG_LEVEL', 'SILENT');
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, Date.now(), true);
    vi.resetModules(); // a cold start: the entry point reads its environment at import
    ({ handler } = (await import('../../functions/api')) as unknown as { handler: Handler });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await store.close();
  });

  // Malformed keys fail before any store call, so 21 of them fit well inside the minute.
  const keys = (sourceIp: string, authorization: string, forwardedFor: string) =>
    handler(
      httpApiEvent('GET', '/v1/keys', {
        sourceIp,
        headers: { authorization, 'x-forwarded-for': forwardedFor },
      }),
    );

  it('throttles the source address however X-Forwarded-For changes, and never the address it names', async () => {
    const guesser = '198.51.100.21';
    const victim = '192.0.2.21';
    for (let i = 0; i < 20; i++) {
      // A fresh forwarded address per try, some naming the victim.
      const forwarded = i % 2 === 0 ? `10.1.${i}.7, ${guesser}` : `${victim}, ${guesser}`;
      expect((await keys(guesser, `Bearer short${i}`, forwarded)).statusCode).toBe(401);
    }
    const blocked = await keys(guesser, 'Bearer short', `10.9.9.9, ${guesser}`);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers?.['retry-after'])).toBeGreaterThan(0);

    // The guesser's own staff key still works; the victim is not throttled at all.
    expect((await keys(guesser, `Bearer ${STAFF_SECRET}`, guesser)).statusCode).toBe(200);
    expect((await keys(victim, 'Bearer short', victim)).statusCode).toBe(401);
    expect((await keys(victim, `Bearer ${STAFF_SECRET}`, victim)).statusCode).toBe(200);
  });
});
