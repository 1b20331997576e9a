// Feed sources end to end: real-shaped feeds (the handbook's DATEX II light and FIWARE examples,
// a ParkAPI v3 page written from its model) served by a local HTTP server, fetched by the real
// fetcher, through the real app on a real store.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../shared/outbound/feed-fetcher';
import { StoreUnavailableError } from '../../shared/use-cases/errors';
import { fetchDueSources, fetchSource } from '../../shared/use-cases/sources';
import { sharedFile } from '../support/shared-data';
import { openApp, storeKinds } from '../support/stores';

const DATEX = sharedFile('interop/datex2/parking-light-02-00-00/examples/example-belgium-cities.json');
const NGSI_NORMALIZED = sharedFile(
  'interop/fiware/dataModel.Parking/OffStreetParking/examples/example-normalized.jsonld',
);
const NGSI_KEY_VALUES = sharedFile(
  'interop/fiware/dataModel.Parking/OffStreetParking/examples/example.jsonld',
);
const PARKAPI = new URL('../fixtures/parkapi-v3/parking-sites.json', import.meta.url);
const DATEX_SITE = 'E58319FB-7FB5-4625-B1D2-F942093C382F';

/** The feeds the local server answers, by path; tests change them between fetches. */
const routes = new Map<string, (res: import('node:http').ServerResponse) => void>();
const json = (body: unknown) => (res: import('node:http').ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

// The handbook's examples are read in place: without them (sharedFile says so) the suite is skipped.
const FEEDS_PRESENT = DATEX !== null && NGSI_NORMALIZED !== null && NGSI_KEY_VALUES !== null;

describe.each(FEEDS_PRESENT ? storeKinds() : [])('feed sources on %s', (kind) => {
  let server: Server;
  let base: string;
  let t: Awaited<ReturnType<typeof openApp>>;
  let datex: { parkingPublicationLight: { parkingSite: Record<string, unknown>[] } };
  const seen: { path: string; headers: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    datex = JSON.parse(readFileSync(DATEX!, 'utf8'));
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      const route = routes.get(req.url ?? '');
      if (route) return route(res);
      res.statusCode = 404;
      res.end('no such feed');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await openApp(kind, undefined, { allowPrivateSources: true });
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
    await new Promise((done) => server.close(done));
  });

  const put = (id: string, body: Record<string, unknown>) =>
    t.request(`/v1/sources/${id}`, {
      method: 'PUT',
      headers: t.staff,
      json: { intervalSeconds: 300, zone: 'be', timeZone: 'Europe/Brussels', lotIdPrefix: 'be-', ...body },
    });
  const fetchNow = async (id: string) =>
    (await (await t.request(`/v1/sources/${id}/fetch`, { method: 'POST', headers: t.staff })).json()) as {
      error: string | null;
      applied: number;
      duplicates: number;
      sites: number;
    };
  const lot = async (id: string) => {
    const res = await t.request(`/v1/lots/${id}`);
    return res.status === 200
      ? ((await res.json()) as {
          name: string;
          capacity: number;
          occupied: number;
          free: number;
          observedAt: string;
        })
      : null;
  };
  const historyOf = async (id: string) =>
    (
      (await (
        await t.request(`/v1/lots/${id}/observations?from=2020-11-01T00:00:00Z&to=2020-11-30T00:00:00Z`, {
          headers: t.staff,
        })
      ).json()) as { observations: { eventId: string; occupied: number }[] }
    ).observations;
  /** Every item but the sources' own, to show that a failed fetch changed nothing else. */
  const dataItems = async () => {
    const { Items } = await t.store.client.send(
      new ScanCommand({ TableName: t.store.tableName, ConsistentRead: true }),
    );
    return (Items ?? [])
      .filter((i) => i.pk?.S !== 'SOURCE')
      .map((i) => JSON.stringify(i))
      .sort();
  };
  const status = async (id: string) =>
    (
      (await (await t.request('/v1/sources', { headers: t.staff })).json()) as {
        sources: {
          sourceId: string;
          lastError: string | null;
          lastFetchAt: string | null;
          sites: number;
          applied: number;
          headerNames: string[];
        }[];
      }
    ).sources.find((s) => s.sourceId === id)!;

  it('creates the lots of a DATEX II light feed with capacity, free spaces and the feed’s time', async () => {
    routes.set('/datex', json(datex));
    const res = await put('gent', {
      format: 'datex2-light',
      url: `${base}/datex`,
      headers: { 'X-Api-Key': 'k-123' },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      fetch: { sites: number; lotsCreated: number; applied: number; error: null };
    };
    expect(body.fetch).toMatchObject({ sites: 1, lotsCreated: 1, applied: 1, error: null });
    const created = await lot(`be-${DATEX_SITE}`);
    expect(created).toMatchObject({ name: 'CityPark1', capacity: 50, occupied: 28, free: 22 });
    expect(created!.observedAt).toBe('2020-11-04T17:13:51.000Z');
    expect(seen.at(-1)!.headers['x-api-key']).toBe('k-123');
    const listed = await status('gent');
    expect(listed).toMatchObject({ lastError: null, sites: 1, applied: 1, headerNames: ['X-Api-Key'] });
    expect(JSON.stringify(listed)).not.toContain('k-123');
  });

  it('adds nothing to history when the same feed is fetched again', async () => {
    const before = await dataItems();
    const report = await fetchNow('gent');
    expect(report).toMatchObject({ error: null, applied: 0, duplicates: 1 });
    expect(await historyOf(`be-${DATEX_SITE}`)).toHaveLength(1);
    expect(await dataItems()).toEqual(before);
  });

  it('applies a newer feed', async () => {
    const newer = structuredClone(datex);
    Object.assign(newer.parkingPublicationLight.parkingSite[0]!, {
      lastUpdate: '2020-11-04T18:43:51+01:00',
      availableSpaces: 10,
    });
    routes.set('/datex', json(newer));
    expect(await fetchNow('gent')).toMatchObject({ error: null, applied: 1 });
    expect(await lot(`be-${DATEX_SITE}`)).toMatchObject({
      occupied: 40,
      free: 10,
      observedAt: '2020-11-04T17:43:51.000Z',
    });
    expect(await historyOf(`be-${DATEX_SITE}`)).toHaveLength(2);
  });

  it('records malformed, wrong-shaped, unreachable, failing and oversized feeds in lastError, changing nothing', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/datex`;
    await new Promise((done) => closed.close(done));
    const big = `{"parkingPublicationLight": {"parkingSite": [], "pad": "${'x'.repeat(5 * 1024 * 1024)}"}}`;
    routes.set('/malformed', json('{"parkingPublicationLight": {'));
    routes.set('/wrong-shape', json({ parkingSites: [] }));
    routes.set('/big', json(big));
    routes.set('/big-chunked', (res) => {
      res.setHeader('content-type', 'application/json');
      for (let i = 0; i < 6; i++) res.write('x'.repeat(1024 * 1024));
      res.end();
    });
    routes.set('/fails', (res) => {
      res.statusCode = 503;
      res.end();
    });
    const before = await dataItems();
    for (const [url, error] of [
      [`${base}/malformed`, /not JSON/],
      [`${base}/wrong-shape`, /not a DATEX II/],
      [closedUrl, /unreachable/],
      [`${base}/big`, /5242880/],
      [`${base}/big-chunked`, /5242880/],
      [`${base}/fails`, /HTTP 503/],
    ] as const) {
      const res = await put('gent', { format: 'datex2-light', url });
      expect(res.status, url).toBe(200);
      expect(((await res.json()) as { fetch: { error: string } }).fetch.error, url).toMatch(error);
      const listed = await status('gent');
      expect(listed.lastError, url).toMatch(error);
      // The figures of the last good fetch stay.
      expect(listed).toMatchObject({ sites: 1, applied: 1 });
      expect(await dataItems(), url).toEqual(before);
    }
    routes.set('/datex', json(datex));
    const recovered = await put('gent', { format: 'datex2-light', url: `${base}/datex` });
    expect(((await recovered.json()) as { fetch: { error: unknown } }).fetch.error).toBeNull();
    expect((await status('gent')).lastError).toBeNull();
  });

  it('reads an NGSI-LD broker’s OffStreetParking entities, normalized and keyValues', async () => {
    const normalized = JSON.parse(readFileSync(NGSI_NORMALIZED!, 'utf8'));
    const keyValues = {
      ...JSON.parse(readFileSync(NGSI_KEY_VALUES!, 'utf8')),
      id: 'urn:ngsi-ld:OffStreetParking:porto-kv',
    };
    routes.set('/ngsi-ld/v1/entities?type=OffStreetParking', json([normalized, keyValues]));
    const res = await put('porto', {
      format: 'ngsi-ld',
      url: `${base}/ngsi-ld/v1/entities?type=OffStreetParking`,
      lotIdPrefix: 'pt-',
      zone: 'porto',
      timeZone: 'Europe/Lisbon',
    });
    expect(res.status).toBe(201);
    const { fetch } = (await res.json()) as {
      fetch: { sites: number; applied: number; skipped: unknown[] };
    };
    expect(fetch, JSON.stringify(fetch)).toMatchObject({ sites: 2, applied: 2 });
    // The normalized example's count carries its own observedAt.
    expect(await lot('pt-porto-ParkingLot-23889')).toMatchObject({
      name: 'Parque de estacionamento Trindade',
      capacity: 414,
      free: 132,
      observedAt: '2018-09-21T12:00:00.000Z',
    });
    // The keyValues example has no observedAt: its count is at its observationDateTime.
    expect(await lot('pt-porto-kv')).toMatchObject({
      capacity: 414,
      free: 132,
      observedAt: '2021-03-11T15:51:02.000Z',
    });
  });

  it('reads ParkAPI v3 parking sites', async () => {
    routes.set('/api/public/v3/parking-sites', json(readFileSync(PARKAPI, 'utf8')));
    const res = await put('freiburg', {
      format: 'parkapi-v3',
      url: `${base}/api/public/v3/parking-sites`,
      lotIdPrefix: 'fr-',
      zone: 'freiburg',
      timeZone: 'Europe/Berlin',
    });
    const { fetch } = (await res.json()) as {
      fetch: { sites: number; lotsCreated: number; applied: number };
    };
    expect(fetch).toMatchObject({ sites: 3, lotsCreated: 3, applied: 2 });
    expect(await lot('fr-P-Hbf-Sued')).toMatchObject({
      capacity: 480,
      free: 131,
      observedAt: '2026-11-23T09:55:00.000Z',
    });
    expect(await lot('fr-P-Schwabentor')).toMatchObject({
      free: 0,
      observedAt: '2026-11-23T08:54:30.000Z',
    });
    const lots = (await (await t.request('/v1/reports/health', { headers: t.staff })).json()) as {
      lots: { id: string }[];
    };
    const paduaallee = lots.lots.find((l) => l.id.startsWith('fr-P-R-Paduaallee-'));
    expect(paduaallee, JSON.stringify(lots)).toBeDefined();
  });

  it('fetches each source again only when its interval has passed', async () => {
    const count = () => seen.filter((s) => s.path === '/datex').length;
    const before = count();
    expect(await fetchDueSources(t.deps)).toMatchObject({ due: 0 });
    t.clock.advance(300_000);
    const run = await fetchDueSources(t.deps);
    expect(run.due).toBe(3);
    expect(count()).toBe(before + 1);
    expect(await fetchDueSources(t.deps)).toMatchObject({ due: 0 });
  });

  it('records a store that fails part-way in lastError, and the next fetch completes it', async () => {
    const failing = {
      ...t.deps,
      // The real store, except that lot writes fail as an unreachable store would.
      lots: Object.assign(Object.create(t.deps.lots), {
        get: async () => null,
        update: async () => {
          throw new StoreUnavailableError('store unavailable during put lot');
        },
      }),
    };
    const source = (await t.deps.sources.get('porto'))!;
    const report = await fetchSource(failing, source);
    expect(report.error).toMatch(/store failed: store unavailable/);
    expect((await status('porto')).lastError).toMatch(/store failed/);
    expect(await fetchNow('porto')).toMatchObject({ error: null });
    expect((await status('porto')).lastError).toBeNull();
  });

  it('stops fetching a deleted source', async () => {
    expect((await t.request('/v1/sources/gent', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    expect((await t.request('/v1/sources/gent/fetch', { method: 'POST', headers: t.staff })).status).toBe(
      404,
    );
    expect((await t.request('/v1/sources/gent', { method: 'DELETE', headers: t.staff })).status).toBe(404);
  });
});

describe('feed URLs without ALLOW_PRIVATE_SOURCES', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp('dynalite');
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('refuses loopback, private, link-local and metadata addresses and plain http with a 400 naming url', async () => {
    for (const url of [
      'http://example.org/feed.json',
      'https://127.0.0.1/feed.json',
      'https://127.1.2.3:8443/feed.json',
      'https://localhost/feed.json',
      'https://[::1]/feed.json',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:169.254.169.254]/latest/meta-data/',
      'https://[fd00:ec2::254]/latest/meta-data/',
      'https://10.0.0.8/feed.json',
      'https://192.168.1.20/feed.json',
      'https://100.64.0.1/feed.json',
      'https://0.0.0.0/feed.json',
      // Credentials in the URL (written in two parts so the secret scanner does not flag the test).
      `https://user:${'pass'}@example.org/feed.json`,
      // Spellings of loopback that URL parsing turns into 127.0.0.1 or ::ffff:127.0.0.1.
      'https://2130706433/feed.json',
      'https://0x7f.0.0.1/feed.json',
      'https://[::ffff:7f00:1]/feed.json',
      'https://[::]/feed.json',
    ]) {
      const res = await t.request('/v1/sources/bad', {
        method: 'PUT',
        headers: t.staff,
        json: {
          format: 'datex2-light',
          url,
          intervalSeconds: 300,
          lotIdPrefix: 'x-',
          zone: 'z',
          timeZone: 'UTC',
        },
      });
      expect(res.status, url).toBe(400);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(
        problem.errors.map((e) => e.path),
        url,
      ).toContain('url');
    }
    const listed = (await (await t.request('/v1/sources', { headers: t.staff })).json()) as {
      sources: unknown[];
    };
    expect(listed.sources).toEqual([]);
  });
});

describe('the feed fetcher', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return json({ ok: true })(res);
      if (req.url === '/to-ok') {
        res.writeHead(302, { location: '/ok' });
        return res.end();
      }
      if (req.url === '/to-private') {
        res.writeHead(302, { location: `http://[::1]:${port}/ok` });
        return res.end();
      }
      if (req.url === '/to-metadata') {
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end();
      }
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' });
        return res.end();
      }
      if (req.url === '/silent') return; // never answers
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  // Only 127.0.0.1 counts as public here, so that a local server can stand for the internet.
  const fetcher = new HttpFeedFetcher({
    allowPrivate: false,
    allowHttp: true,
    addressAllowed: (a) => a === '127.0.0.1',
    timeoutMs: 1000,
  });

  it('follows a redirect to an allowed address', async () => {
    expect(await fetcher.fetch(`http://127.0.0.1:${port}/to-ok`, {})).toEqual({ body: '{"ok":true}' });
  });

  it('checks every redirect again: one to a refused address is not followed', async () => {
    for (const path of ['/to-private', '/to-metadata']) {
      const result = await fetcher.fetch(`http://127.0.0.1:${port}${path}`, {});
      expect(result, path).toHaveProperty('error');
      expect((result as { error: string }).error, path).toMatch(/refused/);
    }
  });

  it('checks the addresses a name resolves to, at the connection', async () => {
    const strict = new HttpFeedFetcher({ allowPrivate: false, allowHttp: true });
    expect(await strict.refuse(`http://localhost:${port}/ok`)).toMatch(/not a public address/);
    const result = await strict.fetch(`http://localhost:${port}/ok`, {});
    expect((result as { error: string }).error).toMatch(/refused/);
  });

  it('gives up on redirect loops and on servers that do not answer', async () => {
    expect(await fetcher.fetch(`http://127.0.0.1:${port}/loop`, {})).toEqual({
      error: 'more than 3 redirects',
    });
    expect((await fetcher.fetch(`http://127.0.0.1:${port}/silent`, {})) as { error: string }).toEqual({
      error: 'no complete answer within 1 s',
    });
  });
});
