// `npm start`'s server with DYNAMODB_ENDPOINT pointing at a store that is not up yet: it serves,
// /health is a 503 problem until the store answers, and the table is set up as soon as it does,
// with one log line each way (README "Limits"). On both stores: DynamoDB Local is started late on
// the chosen port like dynalite.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { startLocalServer } from '../../shared/local/server';
import { type StoreKind, startStoreOn, storeKinds } from '../support/stores';

/** A port nothing listens on now (reserved, then released), for a store started later. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ADMIN = 'late-store-admin-secret-0123456789';

describe.each(storeKinds())('a store that comes up late (%s)', (kind: StoreKind) => {
  let dataDir: string;
  let store: { close(): Promise<void> } | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-late-'));
  });
  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves /health 503 problem+json, retries, and sets the table up once the store answers', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const server = await startLocalServer(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: '0',
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
        TABLE_NAME: 'late',
        ADMIN_API_KEY: ADMIN,
        SEED_DEMO: 'true',
      }),
      { log: (l) => lines.push(l) },
    );
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(503);
      expect(health.headers.get('content-type')).toContain('application/problem+json');
      expect(health.headers.get('retry-after')).toBeTruthy();
      const body = await health.json();
      expect(body).toMatchObject({ status: 503, title: expect.any(String), detail: expect.any(String) });
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|\n\s+at /);
      const api = await fetch(`${server.url}/v1/lots/nearby?lat=52.48&lon=-1.9`);
      expect(api.status).toBe(503);
      expect(api.headers.get('content-type')).toContain('application/problem+json');
      expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200); // no store needed

      const down = lines.filter((l) => l.includes('does not answer yet'));
      expect(down).toHaveLength(1);
      expect(down[0]).not.toMatch(/\n/); // one line, no stack
      // Several attempts pass silently while nothing listens.
      await new Promise((r) => setTimeout(r, 1500));
      expect(lines.filter((l) => l.includes('does not answer'))).toHaveLength(1);
      expect((await fetch(`${server.url}/health`)).status).toBe(503);

      store = await startStoreOn(kind, port);
      const deadline = Date.now() + 30_000; // liveness: the backoff is capped at 10 s
      let status = 0;
      while (Date.now() < deadline) {
        status = (await fetch(`${server.url}/health`)).status;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      expect(lines).toContain('table late created');
      expect(lines.filter((l) => /answers after \d+ attempts/.test(l))).toHaveLength(1);
      expect(lines.join('\n')).toMatch(/seeded \d+ demo lots/);
      const keys = await fetch(`${server.url}/v1/keys`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(keys.status).toBe(200);
      const nearby = await fetch(
        `${server.url}/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=3000&minFree=0`,
      );
      expect(nearby.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('a store that answers "no"', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-refusing-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('still stops a start whose store answers "no" (a misconfiguration, not a late store)', async () => {
    // An endpoint that answers every call with a 400, as DynamoDB does for a request it refuses.
    const refusing = createHttpServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'refused' }),
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as { port: number };
    try {
      await expect(
        startLocalServer(
          loadConfig({
            DATA_DIR: dataDir,
            PORT: '0',
            DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
            SEED_DEMO: 'false',
          }),
        ),
      ).rejects.toThrow(/refused/);
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
