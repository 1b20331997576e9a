// Key guessing is slowed down: 20 failed authentications a minute per client, then 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { openStore, STAFF_SECRET, type TestStore, testClock } from '../support/stores';

describe('failed-authentication throttling', () => {
  let store: TestStore;
  const clock = testClock();
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    store = await openStore('dynalite');
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, clock.now(), true);
    app = createApp(createDependencies({ client: store.client, tableName: store.tableName, now: clock.now }));
  });
  afterAll(() => store.close());

  const call = (client: string, secret: string) =>
    app.request('/v1/keys', { headers: { authorization: `Bearer ${secret}`, 'x-forwarded-for': client } });

  it('answers 429 with Retry-After after 20 failures from one client, and lets it try again later', async () => {
    for (let i = 0; i < 20; i++)
      expect((await call('198.51.100.7', `pf_admin.wrong-guess-${i}-xxxxxxxx`)).status).toBe(401);
    const blocked = await call('198.51.100.7', STAFF_SECRET);
    expect(blocked.status).toBe(429); // even the right key: the client is guessing
    expect(blocked.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);

    // Other clients are not affected.
    expect((await call('203.0.113.9', STAFF_SECRET)).status).toBe(200);

    clock.advance(30_000);
    expect(Number((await call('198.51.100.7', STAFF_SECRET)).headers.get('retry-after'))).toBe(30);
    clock.advance(31_000);
    expect((await call('198.51.100.7', STAFF_SECRET)).status).toBe(200);
  });
});
