// `npm start`'s server counts failed authentications by the socket's remote address: real
// connections from two loopback addresses (127.0.0.2 and 127.0.0.3), X-Forwarded-For ignored.

import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { type LocalServer, startLocalServer } from '../../shared/local/server';
import { STAFF_SECRET } from '../support/stores';

describe('local server: who a client is', () => {
  let dataDir: string;
  let server: LocalServer;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-throttle-'));
    server = await startLocalServer(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'false', ADMIN_API_KEY: STAFF_SECRET }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** GET /v1/keys over a fresh connection from `localAddress`. */
  const keys = (localAddress: string, authorization: string, forwardedFor: string) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL('/v1/keys', server.url);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          localAddress,
          agent: false,
          headers: { authorization, 'x-forwarded-for': forwardedFor },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('throttles the connecting address, not a header, and still serves its valid key', async () => {
    for (let i = 0; i < 20; i++) {
      expect(await keys('127.0.0.2', `Bearer short${i}`, `10.0.0.${i}, 127.0.0.3`)).toBe(401);
    }
    expect(await keys('127.0.0.2', 'Bearer short', '10.9.9.9')).toBe(429);
    expect(await keys('127.0.0.2', `Bearer ${STAFF_SECRET}`, '10.9.9.9')).toBe(200);
    // Another client (and the one the guesser named) is not throttled.
    expect(await keys('127.0.0.3', 'Bearer short', '127.0.0.2')).toBe(401);
    expect(await keys('127.0.0.3', `Bearer ${STAFF_SECRET}`, '127.0.0.2')).toBe(200);
  });
});
