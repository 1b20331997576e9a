// Key guessing is slowed down: 20 failed authentications a minute per client, then 429 for that
// client's failures. A client is the connection's source address (the app is told how to find it;
// here the test names it per request), never a header the client writes; a valid key is served
// whatever the throttle says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { throttleBucket } from '../../shared/http/client-address';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { openStore, STAFF_SECRET, type TestStore, testClock } from '../support/stores';

const wrong = (i: number) => `pf_admin.wrong-guess-${i}-xxxxxxxx`;

describe('failed-authentication throttling', () => {
  let store: TestStore;
  const clock = testClock();
  let app: ReturnType<typeof createApp>;
  let shared: ReturnType<typeof createApp>;
  beforeAll(async () => {
    store = await openStore('dynalite');
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, clock.now(), true);
    const deps = createDependencies({ client: store.client, tableName: store.tableName, now: clock.now });
    // The source address as a runtime would report it: here from the request's env (app.request's
    // third argument), which no client can set.
    app = createApp(deps, { clientAddress: (c) => (c.env as { sourceIp?: string } | undefined)?.sourceIp });
    shared = createApp(deps); // the default: no runtime information
  });
  afterAll(() => store.close());

  const call = (sourceIp: string, secret: string, forwardedFor?: string, target = app) =>
    target.request(
      '/v1/keys',
      {
        headers: {
          authorization: `Bearer ${secret}`,
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
      },
      { sourceIp },
    );

  it('answers 429 with Retry-After after 20 failures from one address, and lets it try again later', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 20; i++) expect((await call(ip, wrong(i))).status).toBe(401);
    const blocked = await call(ip, wrong(20));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);
    // A missing or malformed header from it is a failure too.
    expect((await app.request('/v1/keys', {}, { sourceIp: ip })).status).toBe(429);

    // Other addresses are not affected.
    expect((await call('203.0.113.9', wrong(0))).status).toBe(401);

    clock.advance(30_000);
    expect(Number((await call(ip, wrong(21))).headers.get('retry-after'))).toBe(30);
    clock.advance(31_000);
    expect((await call(ip, wrong(22))).status).toBe(401);
  });

  it('still serves a throttled address its requests with a valid key', async () => {
    const ip = '198.51.100.8';
    for (let i = 0; i < 20; i++) expect((await call(ip, wrong(i))).status).toBe(401);
    expect((await call(ip, wrong(20))).status).toBe(429);
    // Staff and sensors behind the same NAT as a guesser are not locked out.
    expect((await call(ip, STAFF_SECRET)).status).toBe(200);
    expect((await call(ip, wrong(21))).status).toBe(429);
  });

  it('counts the source address, not X-Forwarded-For: a fresh header per try is throttled', async () => {
    const ip = '198.51.100.9';
    for (let i = 0; i < 20; i++) {
      expect((await call(ip, wrong(i), `10.0.${i}.1, 192.0.2.${i}`)).status).toBe(401);
    }
    expect((await call(ip, wrong(20), '10.9.9.9')).status).toBe(429);
  });

  it('never throttles an address that bad tries only name in X-Forwarded-For', async () => {
    const victim = '192.0.2.44';
    for (let i = 0; i < 25; i++) await call('198.51.100.10', wrong(i), victim);
    expect((await call(victim, wrong(0))).status).toBe(401); // not 429: its own record is clean
    expect((await call(victim, STAFF_SECRET)).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 one', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await call(`2001:db8:aa:bb::${(i + 1).toString(16)}`, wrong(i))).status).toBe(401);
    }
    expect((await call('2001:0db8:00aa:00bb:ffff:1:2:3', wrong(20))).status).toBe(429);
    expect((await call('2001:db8:aa:bc::1', wrong(20))).status).toBe(401);

    for (let i = 0; i < 20; i++) await call('::ffff:198.51.100.11', wrong(i));
    expect((await call('198.51.100.11', wrong(20))).status).toBe(429);
  });

  it('without runtime information, every client shares one bucket and valid keys are still served', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await call('ignored', wrong(i), `192.0.2.${i}`, shared)).status).toBe(401);
    }
    expect((await call('ignored', wrong(20), '192.0.2.200', shared)).status).toBe(429);
    expect((await call('ignored', STAFF_SECRET, '192.0.2.200', shared)).status).toBe(200);
  });
});

describe('throttle buckets', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0DB8:0000:0000:1:2:3:4', '2001:db8:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['1:2:3:4:5:6:192.0.2.1', '1:2:3:4::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (address, bucket) => {
    expect(throttleBucket(address)).toBe(bucket);
  });

  it('keeps anything else apart from real addresses, bounded in length', () => {
    const odd = throttleBucket(`not-an-address-${'x'.repeat(500)}`);
    expect(odd.startsWith('other:')).toBe(true);
    expect(odd.length).toBeLessThanOrEqual(70);
  });
});
