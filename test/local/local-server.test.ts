// `npm start`'s server in-process: embedded store on disk, admin key, demo seed, restart.
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { startLocalServer } from '../../shared/local/server';

// Demo lots that are not 24/7 close at night (their opening hours): the demo city is read at 10:00
// UTC of a day to come, whatever time the suite runs.
const DAYTIME = (() => {
  const d = new Date();
  d.setUTCHours(10, 0, 0, 0);
  if (d.getTime() < Date.now()) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
})();

describe('local mode', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-local-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const config = (extra: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: dataDir, PORT: '0', TABLE_NAME: 'parking', ...extra });

  it('seeds demo lots, saves the admin key, and keeps every lot and count across a restart', async () => {
    const lines: string[] = [];
    const first = await startLocalServer(config(), { log: (l) => lines.push(l), now: () => DAYTIME });
    const nearby = '/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=3000&limit=100&minFree=0';
    let before: { id: string; occupied: number }[];
    let secret: string;
    try {
      expect(lines.join('\n')).toMatch(/seeded \d+ demo lots/);
      expect(first.adminKeyFile).toBe(join(dataDir, 'admin-key'));
      secret = (await readFile(first.adminKeyFile!, 'utf8')).trim();
      expect(lines.join('\n')).toContain(secret); // printed once, on the first start
      expect((await stat(first.adminKeyFile!)).mode & 0o777).toBe(0o600);

      const res = await fetch(first.url + nearby);
      expect(res.status).toBe(200);
      before = (await res.json()).lots;
      expect(before.length).toBeGreaterThan(20);
      // A staff write that must survive the restart too.
      const put = await fetch(`${first.url}/v1/lots/restart-check/observations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: '{"observations":[{"eventId":"x","observedAt":"2026-01-01T00:00:00Z","occupied":1}]}',
      });
      expect(put.status).toBe(404);
    } finally {
      await first.close();
    }

    const again: string[] = [];
    // Without demo sensors, which would (by design) post fresh counts after a restart.
    const second = await startLocalServer(config({ SEED_DEMO: 'false' }), {
      log: (l) => again.push(l),
      now: () => DAYTIME,
    });
    try {
      expect(again.join('\n')).not.toMatch(/seeded/);
      expect(again.join('\n')).not.toContain(secret);
      const after = (await (await fetch(second.url + nearby)).json()).lots;
      expect(after.map((l: { id: string; occupied: number }) => [l.id, l.occupied])).toEqual(
        before.map((l) => [l.id, l.occupied]),
      );
      const keys = await fetch(`${second.url}/v1/keys`, { headers: { authorization: `Bearer ${secret}` } });
      expect(keys.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('keeps the demo city alive after a restart: demo sensors report again, silent lots stay silent', async () => {
    const later = DAYTIME + 3 * 3_600_000; // every seeded count is stale by then
    const server = await startLocalServer(config(), { now: () => later });
    try {
      const url = `${server.url}/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=10000&limit=100&minFree=0&includeStale=true`;
      let lots: { status: string }[] = [];
      for (let i = 0; i < 50; i++) {
        lots = (await (await fetch(url)).json()).lots;
        if (lots.filter((l) => l.status === 'stale').length <= 10) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const stale = lots.filter((l) => l.status === 'stale').length;
      expect(lots.length).toBeGreaterThan(50);
      expect(stale).toBeGreaterThan(0); // the designated broken sensors
      expect(stale).toBeLessThanOrEqual(10);
    } finally {
      await server.close();
    }
  });

  it('never prints a secret given through ADMIN_API_KEY, and that secret works', async () => {
    const given = 'a-given-admin-secret-0123456789';
    const lines: string[] = [];
    const server = await startLocalServer(config({ ADMIN_API_KEY: given, SEED_DEMO: 'false' }), {
      log: (l) => lines.push(l),
    });
    try {
      expect(lines.join('\n')).not.toContain(given);
      const keys = await fetch(`${server.url}/v1/keys`, { headers: { authorization: `Bearer ${given}` } });
      expect(keys.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('says so when the generated admin key was revoked, and makes a new one only once its file is deleted', async () => {
    const own = await mkdtemp(join(tmpdir(), 'parking-revoked-'));
    const start = async (extra: Record<string, string> = {}) => {
      const lines: string[] = [];
      const server = await startLocalServer(
        loadConfig({ DATA_DIR: own, PORT: '0', SEED_DEMO: 'false', ...extra }),
        { log: (l) => lines.push(l) },
      );
      return { server, text: lines.join('\n') };
    };
    const keysWith = (url: string, secret: string) =>
      fetch(`${url}/v1/keys`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);
    const file = join(own, 'admin-key');
    try {
      const first = await start();
      const old = (await readFile(file, 'utf8')).trim();
      try {
        const revoked = await fetch(`${first.server.url}/v1/keys/admin`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${old}` },
        });
        expect(revoked.status).toBe(204);
      } finally {
        await first.server.close();
      }

      const second = await start();
      try {
        expect(second.text).toContain(`admin key: REVOKED: the key in ${file} no longer works`);
        expect(second.text).toContain(
          `npm run create-key -- --endpoint ${second.server.storeEndpoint} --table parking --region us-east-1`,
        );
        expect(second.text).not.toMatch(/admin key: in /);
        expect(second.text).not.toContain(old);
        expect(second.server.adminKeyFile).toBeNull();
        expect(await keysWith(second.server.url, old)).toBe(401); // still revoked
        expect((await readFile(file, 'utf8')).trim()).toBe(old); // the operator's file is left alone
      } finally {
        await second.server.close();
      }

      await unlink(file); // how the operator asks for a new one
      const third = await start();
      try {
        const fresh = (await readFile(file, 'utf8')).trim();
        expect(fresh).not.toBe(old);
        expect(third.text).toContain(`admin key (shown once, saved to ${file}):\n  ${fresh}`);
        expect(third.server.adminKeyFile).toBe(file);
        expect(await keysWith(third.server.url, fresh)).toBe(200);
        expect(await keysWith(third.server.url, old)).toBe(401);
      } finally {
        await third.server.close();
      }

      const fourth = await start();
      try {
        expect(fourth.text).toContain(`admin key: in ${file}`);
      } finally {
        await fourth.server.close();
      }
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('reinstates a revoked ADMIN_API_KEY at the next start, and says so', async () => {
    const own = await mkdtemp(join(tmpdir(), 'parking-given-'));
    const given = 'a-given-admin-secret-revoked-0123';
    const config = loadConfig({ DATA_DIR: own, PORT: '0', SEED_DEMO: 'false', ADMIN_API_KEY: given });
    const auth = { authorization: `Bearer ${given}` };
    try {
      const first = await startLocalServer(config);
      try {
        expect((await fetch(`${first.url}/v1/keys/admin`, { method: 'DELETE', headers: auth })).status).toBe(
          204,
        );
        expect((await fetch(`${first.url}/v1/keys`, { headers: auth })).status).toBe(401);
      } finally {
        await first.close();
      }
      const lines: string[] = [];
      const second = await startLocalServer(config, { log: (l) => lines.push(l) });
      try {
        expect(lines.join('\n')).toContain('the admin key had been revoked, and ADMIN_API_KEY reinstates it');
        expect(lines.join('\n')).not.toContain(given);
        expect((await fetch(`${second.url}/v1/keys`, { headers: auth })).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});
