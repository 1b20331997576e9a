// The deployable artifact itself: synthesizes the stack with real esbuild bundling, then runs each
// function's bundle from the cloud assembly (not the sources) in its own plain Node process, as Lambda
// would, and drives it with API Gateway HTTP API v2 events against DynamoDB Local.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { DynamoSources } from '../../shared/store/sources';
import { syntheticCity, writeLots } from '../support/city';
import { httpApiEvent } from '../support/lambda-events';
import { openStore, STAFF_SECRET, storeKinds, type TestStore } from '../support/stores';
import { removeSynthOutputs, type Synthesized, synthService } from './synth';

type Response = { statusCode: number; headers?: Record<string, string>; body: string };

/** A function's bundle folder in the cloud assembly, found through its Code.S3Key (`<asset hash>.zip`). */
function bundleDir(synth: Synthesized, fn: Construct): string {
  const id = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  const code = synth.template.toJSON().Resources[id].Properties.Code as { S3Key: string };
  return join(synth.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
}

/** One Lambda execution environment: a fresh plain-Node process that imported the bundle once. */
class LambdaHost {
  private next = 0;
  private readonly pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
      if (m.id !== undefined) this.pending.get(m.id)?.(m);
    });
  }

  static async start(bundle: string, env: Record<string, string>, handler = 'handler'): Promise<LambdaHost> {
    const child = fork(fileURLToPath(new URL('./lambda-host.mjs', import.meta.url)), [bundle, handler], {
      execArgv: [],
      // Only what Lambda would set, plus the local endpoint: nothing leaks in from the test process.
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the bundle did not start (exit ${code}):\n${stderr}`)));
    });
    return new LambdaHost(child);
  }

  async invoke<T = Response>(event: unknown): Promise<T> {
    const id = this.next++;
    const reply = new Promise<{ result?: unknown; error?: string }>((resolve) =>
      this.pending.set(id, resolve),
    );
    this.child.send({ id, event });
    const { result, error } = await reply;
    this.pending.delete(id);
    if (error !== undefined) throw new Error(`the handler threw: ${error}`);
    return result as T;
  }

  stop(): void {
    this.child.kill();
  }
}

const kind = storeKinds().at(-1)!; // DynamoDB Local where Java is present (always in CI), else dynalite
const staff = { authorization: `Bearer ${STAFF_SECRET}`, 'content-type': 'application/json' };
const HOUR = 3_600_000;
// The embedded store, the Node server and the local-mode code, and build tools: never in a Lambda bundle.
const DEV_ONLY =
  /node_modules\/(dynalite|@hono\/node-server|vitest|aws-cdk-lib|esbuild)\/|shared\/(local|demo|replay)\/|store\/embedded/;

describe(`the synthesized Lambda bundles on ${kind}`, () => {
  let synth: Synthesized;
  let store: TestStore;
  let readApi: LambdaHost;
  let writeApi: LambdaHost;
  let rollupJob: LambdaHost;
  let feedJob: LambdaHost;
  let feedServer: Server;
  let feedUrl: string;
  const dirs = {} as Record<'readApi' | 'writeApi' | 'rollupJob', string>;
  // esbuild's metafiles, which scripts/bundle-function.ts writes here and never into an asset.
  const metaDir = mkdtempSync(join(tmpdir(), 'bundle-meta-'));
  const metafile = (name: keyof typeof dirs) =>
    JSON.parse(readFileSync(join(metaDir, `${name === 'rollupJob' ? 'jobs' : 'api'}.meta.json`), 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<
        string,
        {
          entryPoint?: string;
          inputs: Record<string, unknown>;
          imports: { path: string; kind: string; external?: boolean }[];
        }
      >;
    };

  beforeAll(async () => {
    const before = process.env.BUNDLE_METAFILE_DIR;
    process.env.BUNDLE_METAFILE_DIR = metaDir; // the bundling child processes inherit it
    try {
      synth = synthService({ bundle: true });
    } finally {
      if (before === undefined) delete process.env.BUNDLE_METAFILE_DIR;
      else process.env.BUNDLE_METAFILE_DIR = before;
    }
    dirs.readApi = bundleDir(synth, synth.stack.readApi.function);
    dirs.writeApi = bundleDir(synth, synth.stack.writeApi.function);
    dirs.rollupJob = bundleDir(synth, synth.stack.rollupJob.function);

    store = await openStore(kind); // creates the table with shared/store/schema.ts's ensureTable
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, Date.now(), true);
    const endpoint = await store.client.config.endpoint!();
    const env = {
      // What the stack sets (infra/stack.ts, infra/constructs/service-function.ts) and Lambda adds.
      TABLE_NAME: store.tableName,
      HISTORY_RETENTION_DAYS: '400',
      LOG_LEVEL: 'SILENT',
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // The feed job runs the jobs bundle's other export; private sources allowed only so that a
    // local server can stand for a city's feed.
    expect(bundleDir(synth, synth.stack.feedJob.function)).toBe(dirs.rollupJob);
    feedServer = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(readFileSync(new URL('../fixtures/parkapi-v3/parking-sites.json', import.meta.url)));
    });
    await new Promise<void>((done) => feedServer.listen(0, '127.0.0.1', done));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/api/public/v3/parking-sites`;
    [readApi, writeApi, rollupJob, feedJob] = await Promise.all([
      LambdaHost.start(join(dirs.readApi, 'index.mjs'), env),
      LambdaHost.start(join(dirs.writeApi, 'index.mjs'), env),
      LambdaHost.start(join(dirs.rollupJob, 'index.mjs'), env),
      LambdaHost.start(
        join(dirs.rollupJob, 'index.mjs'),
        { ...env, ALLOW_PRIVATE_SOURCES: 'true' },
        'fetchFeeds',
      ),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const host of [readApi, writeApi, rollupJob, feedJob]) host?.stop();
    await new Promise((done) => (feedServer ? feedServer.close(done) : done(undefined)));
    await store?.close();
    removeSynthOutputs();
    rmSync(metaDir, { recursive: true, force: true });
  });

  it('puts in each asset only what its function loads: the files esbuild wrote, no metafile', () => {
    for (const name of ['readApi', 'rollupJob'] as const) {
      const outputs = Object.keys(metafile(name).outputs);
      // The output paths are relative to where esbuild ran; the entry's tells the folder's prefix.
      const prefix = outputs.find((o) => o.endsWith('/index.mjs'))!.slice(0, -'index.mjs'.length);
      const written = outputs.map((o) => o.slice(prefix.length)).sort();
      const shipped = readdirSync(dirs[name], { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => join(f.parentPath, f.name).slice(dirs[name].length + 1))
        .sort();
      expect(shipped, name).toEqual(written);
      expect(shipped, name).toContain('index.mjs');
      expect(
        shipped.filter((f) => f.endsWith('.json')),
        name,
      ).toEqual([]);
    }
  });

  it('gives both API functions the same bundle, and contains no dev-only code', () => {
    expect(dirs.writeApi).toBe(dirs.readApi);
    for (const [name, dir] of Object.entries(dirs) as [keyof typeof dirs, string][]) {
      const meta = metafile(name);
      const inputs = Object.keys(meta.inputs);
      const entry = name === 'rollupJob' ? 'functions/jobs.ts' : 'functions/api.ts';
      expect(inputs, name).toContain(entry);
      const devOnly = inputs.filter((i) => DEV_ONLY.test(i));
      expect(devOnly, name).toEqual([]);
      // The web pages are a chunk of their own, which only a page request loads (infra/bundling.ts):
      // neither the entry nor any chunk it imports statically holds them.
      // Each lazy chunk names the module it was split at as its entryPoint too: the function's is `entry`.
      const loadedAtStart = [Object.keys(meta.outputs).find((f) => meta.outputs[f]!.entryPoint === entry)!];
      for (const file of loadedAtStart)
        for (const i of meta.outputs[file]!.imports)
          if (i.kind === 'import-statement' && !i.external && !loadedAtStart.includes(i.path))
            loadedAtStart.push(i.path);
      const startInputs = loadedAtStart.flatMap((f) => Object.keys(meta.outputs[f]!.inputs));
      expect(startInputs, name).toContain(entry);
      expect(startInputs, name).not.toContain('web/generated/pages.ts');
      // Nor the opening-hours evaluator nor the CSV reader, which are imported on first use.
      const lazy = startInputs.filter((i) => /node_modules\/(opening_hours|csv-parse)\//.test(i));
      expect(lazy, name).toEqual([]);
      // No holiday tables, and zod's messages in English only (infra/bundling.ts).
      const shipped = readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.mjs'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
      // (booleans: a failure should not print the whole bundle)
      expect(shipped.includes('Vacances'), `${name}: a school holiday's name`).toBe(false);
      expect(shipped.includes('Ungültige Eingabe'), `${name}: zod's German messages`).toBe(false);
      if (name === 'writeApi') continue; // the same files as readApi's
      const code = readFileSync(join(dir, 'index.mjs'));
      const map = readFileSync(join(dir, 'index.mjs.map'));
      console.log(
        `[bundle] ${name}: index.mjs ${code.length} bytes (${gzipSync(code).length} gzipped), ` +
          `source map ${map.length} bytes, ${inputs.length} input files`,
      );
    }
  });

  it('answers /health and /openapi.json from the read-only function', async () => {
    const health = await readApi.invoke(httpApiEvent('GET', '/health'));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    // A page, from the chunk the bundle loads on the first page request.
    const page = await readApi.invoke(httpApiEvent('GET', '/dashboard'));
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<!doctype html>');
    const doc = await readApi.invoke(httpApiEvent('GET', '/openapi.json'));
    expect(JSON.parse(doc.body).paths).toHaveProperty(['/v1/lots/nearby']);
  });

  // An hour-aligned window two hours back, so the report's figures do not depend on when the test runs.
  const start = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const latest = { eventId: 'e3', observedAt: iso(Date.now() - 60_000), occupied: 12 };

  it('takes a lot and a sensor batch through the write function', async () => {
    const put = await writeApi.invoke(
      httpApiEvent('PUT', '/v1/lots/moor-st', {
        headers: staff,
        body: JSON.stringify({
          name: 'Moor Street',
          location: { lat: 52.4791, lon: -1.8925 },
          capacity: 40,
          type: 'surface',
          features: ['ev'],
          timeZone: 'Europe/London',
        }),
      }),
    );
    expect(put.statusCode, put.body).toBe(201);

    const posted = await writeApi.invoke(
      httpApiEvent('POST', '/v1/lots/moor-st/observations', {
        headers: staff,
        body: JSON.stringify({
          observations: [
            { eventId: 'e1', observedAt: iso(start), occupied: 10 },
            { eventId: 'e2', observedAt: iso(start + HOUR / 2), occupied: 30 },
            latest,
          ],
        }),
      }),
    );
    expect(posted.statusCode, posted.body).toBe(200);
    expect(JSON.parse(posted.body)).toMatchObject({ applied: 3, duplicates: 0, stale: 0 });

    // The same report again (a sensor retrying after a timeout) is applied once.
    const again = await writeApi.invoke(
      httpApiEvent('POST', '/v1/lots/moor-st/observations', {
        headers: staff,
        body: JSON.stringify({ observations: [latest] }),
      }),
    );
    expect(JSON.parse(again.body)).toMatchObject({ applied: 0, duplicates: 1 });
  });

  // The bundle imports the opening-hours evaluator on first use, from a chunk of its own: the read
  // function's first request that evaluates hours is this one, on a lot its hours close now.
  it("answers a lot its hours close now as closed on the read function's first request that evaluates hours", async () => {
    const hour = new Date().getUTCHours();
    const opens = (hour + 6) % 24; // a two-hour window six hours from now: closed whenever this runs
    const hh = (h: number) => String(h).padStart(2, '0');
    const closes = opens + 2 > 24 ? opens + 2 - 24 : opens + 2; // an end before the start spans midnight
    const openingHours = `Mo-Su ${hh(opens)}:00-${hh(closes)}:00`;
    // Written straight into the table: no process of ours evaluates these hours before the read below.
    const [seeded] = syntheticCity({ lots: 1, seed: 20, now: Date.now() });
    await writeLots(store.client, store.tableName, [
      { ...seeded!, id: 'night-lot', timeZone: 'UTC', openingHours, closed: false, rollupFrom: null },
    ]);
    const got = await readApi.invoke(httpApiEvent('GET', '/v1/lots/night-lot'));
    expect(got.statusCode, got.body).toBe(200);
    const lot = JSON.parse(got.body) as { status: string; opensAt: string | null };
    expect(lot.status).toBe('closed');
    expect(Date.parse(lot.opensAt!) - Date.now()).toBeGreaterThan(4 * HOUR);
    // A value the evaluator refuses is still a 400 on the write function (its validation awaits the load too).
    const refused = await writeApi.invoke(
      httpApiEvent('PUT', '/v1/lots/bad-hours', {
        headers: staff,
        body: JSON.stringify({
          name: 'Bad Hours',
          location: { lat: 52.4795, lon: -1.8935 },
          capacity: 20,
          type: 'garage',
          features: [],
          timeZone: 'UTC',
          openingHours: 'Mo-Fr 08:00-18:00; PH off',
        }),
      }),
    );
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.body).toContain('openingHours');
  });

  it('reads a CSV import through the write function (its reader is a chunk of its own)', async () => {
    const csv =
      'name,lat,lon,capacity,openingHours\nCsv Lot,52.48,-1.89,25,Mo-Fr 08:00-18:00\nBad,52.48,-1.89,x,\n';
    const res = await writeApi.invoke(
      httpApiEvent('POST', '/v1/lots:import?timeZone=Europe/London&dryRun=true', {
        headers: { ...staff, 'content-type': 'text/csv' },
        body: csv,
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const summary = JSON.parse(res.body) as { ids: string[]; rejected: { row: number; field: string }[] };
    expect(summary.ids).toEqual(['csv-lot']);
    expect(summary.rejected).toMatchObject([{ row: 2, field: 'capacity' }]);
  });

  it('finds the lot nearby through the read-only function', async () => {
    const nearby = await readApi.invoke(
      httpApiEvent('GET', '/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=2000'),
    );
    expect(nearby.statusCode, nearby.body).toBe(200);
    const { lots } = JSON.parse(nearby.body) as { lots: Record<string, unknown>[] };
    expect(lots).toHaveLength(1);
    expect(lots[0]).toMatchObject({
      id: 'moor-st',
      capacity: 40,
      occupied: 12,
      free: 28,
      status: 'available',
    });
    expect(lots[0]!.distance).toBeGreaterThan(600);
    expect(lots[0]!.distance).toBeLessThan(800);
  });

  it('refreshes rollups from the job bundle, as the schedule would', async () => {
    const result = await rollupJob.invoke<{ lots: number; rebuilt: number }>({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: iso(Date.now()),
      detail: {},
    });
    expect(result).toMatchObject({ lots: 2, rebuilt: 1 }); // night-lot has no observations to roll up
  });

  it('fetches a due feed source from the job bundle, as the feed schedule would', async () => {
    await new DynamoSources(store.client, store.tableName).put({
      sourceId: 'freiburg',
      format: 'parkapi-v3',
      url: feedUrl,
      intervalSeconds: 60,
      lotIdPrefix: 'fr-',
      zone: 'freiburg',
      timeZone: 'Europe/Berlin',
    });
    const scheduled = { version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    expect(await feedJob.invoke({ ...scheduled, time: iso(Date.now()) })).toEqual({ due: 1, failed: 0 });
    const res = await readApi.invoke(httpApiEvent('GET', '/v1/lots/fr-P-Hbf-Sued'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ capacity: 480, free: 131 });
    expect(await feedJob.invoke({ ...scheduled, time: iso(Date.now()) })).toEqual({ due: 0, failed: 0 });
  });

  it('reports time-weighted utilization (README "Utilization reports") through the write function', async () => {
    const query = `lotId=moor-st&from=${iso(start)}&to=${iso(start + HOUR)}&bucket=hour&tz=UTC`;
    const report = await writeApi.invoke(
      httpApiEvent('GET', `/v1/reports/utilization?${query}`, {
        headers: { authorization: staff.authorization },
      }),
    );
    expect(report.statusCode, report.body).toBe(200);
    const { rows } = JSON.parse(report.body) as { rows: Record<string, unknown>[] };
    // 10 for the first half hour, 30 for the second: mean 20 of 40.
    expect(rows).toEqual([
      expect.objectContaining({
        lotId: 'moor-st',
        coverage: 1,
        avgOccupied: 20,
        utilization: 0.5,
        peakOccupied: 30,
        minOccupied: 10,
        observations: 2,
      }),
    ]);
  });

  it('keeps staff routes closed to anonymous callers and unknown paths a problem+json 404', async () => {
    const anonymous = await writeApi.invoke(httpApiEvent('GET', '/v1/reports/health'));
    expect(anonymous.statusCode).toBe(401);
    const unknown = await readApi.invoke(httpApiEvent('GET', '/v2/nothing-here'));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers?.['content-type']).toMatch(/^application\/problem\+json/);
  });
});
