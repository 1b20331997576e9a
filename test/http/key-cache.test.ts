// The in-process API-key cache (shared/store/key-cache.ts, README "Keys and authentication"):
// two apps over one real table stand for two Lambda containers. A key revoked through one stops at
// once there; the other may still accept it within the cache's TTL and answers 401 after it, on
// the injected clock. Unknown secrets are never cached, and the cache holds at most its bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { CachedKeys } from '../../shared/store/key-cache';
import { countStoreCalls, type StoreCalls } from '../support/store-calls';
import { openStore, STAFF_SECRET, type TestStore, testClock } from '../support/stores';

const TTL_SECONDS = 30;
const TTL_MS = TTL_SECONDS * 1000;

describe('API-key cache', () => {
  let store: TestStore;
  let calls: StoreCalls;
  const clock = testClock();
  let here: ReturnType<typeof createApp>;
  let elsewhere: ReturnType<typeof createApp>;
  beforeAll(async () => {
    store = await openStore('dynalite');
    calls = countStoreCalls(store.client);
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, clock.now(), true);
    const container = () =>
      createApp(
        createDependencies({
          client: store.client,
          tableName: store.tableName,
          now: clock.now,
          apiKeyCacheSeconds: TTL_SECONDS,
        }),
      );
    here = container();
    elsewhere = container();
  });
  afterAll(() => store.close());

  const as = (app: ReturnType<typeof createApp>, secret: string, init: RequestInit = {}, path = '/v1/keys') =>
    app.request(path, { ...init, headers: { authorization: `Bearer ${secret}`, ...(init.headers ?? {}) } });

  const newStaffKey = async (): Promise<{ keyId: string; secret: string }> => {
    const res = await as(here, STAFF_SECRET, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'staff', label: 'cache test' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { keyId: string; secret: string };
  };

  const keyReads = () => calls.commands.get('GetItem') ?? 0;

  it('reads a key once per TTL, not once per request', async () => {
    const { secret } = await newStaffKey();
    calls.reset();
    for (let i = 0; i < 5; i++) expect((await as(elsewhere, secret)).status).toBe(200);
    expect(keyReads()).toBe(1);
    clock.advance(TTL_MS);
    expect((await as(elsewhere, secret)).status).toBe(200);
    expect(keyReads()).toBe(2);
  });

  it('a key revoked elsewhere works within the TTL of the last check and is a 401 after it', async () => {
    const { keyId, secret } = await newStaffKey();
    expect((await as(elsewhere, secret)).status).toBe(200); // `elsewhere` checks it now
    clock.advance(1_000);
    expect((await as(here, STAFF_SECRET, { method: 'DELETE' }, `/v1/keys/${keyId}`)).status).toBe(204);
    // Revoked through `here`: refused there at once.
    expect((await as(here, secret)).status).toBe(401);
    // `elsewhere` trusts its check until TTL after it, and not a millisecond longer.
    clock.advance(TTL_MS - 1_000 - 1);
    expect((await as(elsewhere, secret)).status).toBe(200);
    clock.advance(1);
    const refused = await as(elsewhere, secret);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    // And stays refused: a failed lookup is not cached as success, nor re-admitted later.
    clock.advance(TTL_MS * 3);
    expect((await as(elsewhere, secret)).status).toBe(401);
  });

  it('a key revoked through the same process is refused at once, though it was cached', async () => {
    const { keyId, secret } = await newStaffKey();
    expect((await as(here, secret)).status).toBe(200);
    expect((await as(here, STAFF_SECRET, { method: 'DELETE' }, `/v1/keys/${keyId}`)).status).toBe(204);
    expect((await as(here, secret)).status).toBe(401);
  });

  it('never caches an unknown or wrong secret: each is looked up (and the throttle still counts it)', async () => {
    const { keyId } = await newStaffKey();
    calls.reset();
    for (let i = 0; i < 3; i++)
      expect((await as(elsewhere, `pf_${keyId}.wrong-secret-0000`)).status).toBe(401);
    expect(keyReads()).toBe(3);
  });

  it('with a TTL of 0 every request reads the key', async () => {
    const uncached = createApp(
      createDependencies({
        client: store.client,
        tableName: store.tableName,
        now: clock.now,
        apiKeyCacheSeconds: 0,
      }),
    );
    calls.reset();
    for (let i = 0; i < 3; i++) expect((await as(uncached, STAFF_SECRET)).status).toBe(200);
    expect(keyReads()).toBe(3);
  });

  it('does not keep the answer of a lookup that overlapped a revocation through it', async () => {
    const { keyId, secret } = await newStaffKey();
    const real = new DynamoApiKeys(store.client, store.tableName);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let readDone = () => {};
    const read = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    // The real lookup, whose answer arrives only after the revocation below has finished.
    const slow = Object.assign(Object.create(real) as DynamoApiKeys, {
      authenticate: async (s: string) => {
        const found = await real.authenticate(s);
        readDone();
        await gate;
        return found;
      },
    });
    const keys = new CachedKeys(slow, { ttlMs: TTL_MS, now: clock.now });
    const overlapping = keys.authenticate(secret);
    await read; // the store has answered it, before the revocation
    expect(await keys.revoke(keyId, clock.now())).toBe(true);
    release();
    expect((await overlapping)?.keyId).toBe(keyId); // read before the revocation: answered as read
    expect(keys.size).toBe(0);
    expect(await keys.authenticate(secret)).toBeNull();
  });

  it('holds at most its bound, forgetting the least recently used first', async () => {
    const keys = new CachedKeys(new DynamoApiKeys(store.client, store.tableName), {
      ttlMs: TTL_MS,
      now: clock.now,
      maxEntries: 2,
    });
    const [a, b, c] = [await newStaffKey(), await newStaffKey(), await newStaffKey()];
    await keys.authenticate(a.secret);
    await keys.authenticate(b.secret);
    await keys.authenticate(a.secret); // a is now the most recently used
    await keys.authenticate(c.secret); // b goes
    expect(keys.size).toBe(2);
    calls.reset();
    expect((await keys.authenticate(a.secret))?.keyId).toBe(a.keyId);
    expect((await keys.authenticate(c.secret))?.keyId).toBe(c.keyId);
    expect(keyReads()).toBe(0);
    expect((await keys.authenticate(b.secret))?.keyId).toBe(b.keyId);
    expect(keyReads()).toBe(1);
  });
});
