// Local mode (README "Quick start"): the embedded store (or DYNAMODB_ENDPOINT), the table, the admin
// key, demo lots, and the same Hono app Lambda serves, on a plain Node HTTP server.
// functions/local.ts is the command-line wrapper; tests start this in-process.

import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Config, cityConfig } from '../config';
import { DEMO_CITIES } from '../demo/cities';
import {
  type DemoLot,
  demoLots,
  demoObservations,
  demoOccupancy,
  isBrokenDemoLot,
  isSilentDemoLot,
  seededRandom,
} from '../demo/seed';
import { createDependencies } from '../dependencies';
import { createApp } from '../http/app';
import { problemBody } from '../http/problem';
import { ADMIN_KEY_ID, DynamoApiKeys, newSecret } from '../store/api-keys';
import { createDynamoClient } from '../store/client';
import { type EmbeddedStore, startEmbeddedStore } from '../store/embedded';
import { DynamoLots } from '../store/lots';
import { ensureTable } from '../store/schema';
import { maintainCellDirectory } from '../use-cases/cell-directory';
import { NotFoundError, StoreUnavailableError } from '../use-cases/errors';
import { refreshForecastModels } from '../use-cases/forecast';
import { ingestObservations } from '../use-cases/ingest';
import { purgeDeletedLots, putLot, refreshClusters } from '../use-cases/manage-lots';
import type { Dependencies } from '../use-cases/ports';
import { refreshRollups } from '../use-cases/reports';
import { fetchDueSources } from '../use-cases/sources';

const ROLLUP_INTERVAL_MS = 5 * 60_000;
/** Feed sources are looked at this often; each is fetched when its own interval (≥ 60 s) has passed. */
const FEED_INTERVAL_MS = 60_000;
/** How often Node looks for connections past their request timeout (it closes them 0–1 s late). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;
/** An idle keep-alive connection is closed this long after its last response (Node's default). */
const KEEP_ALIVE_TIMEOUT_MS = 5000;
/** On shutdown, requests in progress get this long to finish before their connections are cut. */
const SHUTDOWN_GRACE_MS = 2000;

/** The bounds the HTTP server runs with (README "Limits"), as read back from the server itself. */
export interface ConnectionBounds {
  /** Time a connection has to send a whole request (headers and body) before a 408 closes it. */
  requestTimeoutMs: number;
  /** Time a connection has to send a request's headers (the same: the whole request is what counts). */
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Open connections at once; the next is closed as soon as it is accepted. */
  maxConnections: number;
}

export interface LocalServer {
  url: string;
  docsUrl: string;
  /** Where the generated admin key is saved; null when it came from ADMIN_API_KEY or was revoked. */
  adminKeyFile: string | null;
  /** The DynamoDB endpoint it uses (the embedded store's, or DYNAMODB_ENDPOINT). */
  storeEndpoint: string;
  connectionBounds: ConnectionBounds;
  /** Connections open right now (for tests and diagnostics). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

export interface LocalServerOptions {
  now?: () => number;
  /** Where progress lines go (the CLI prints them; tests collect them). */
  log?: (line: string) => void;
}

export async function startLocalServer(
  config: Config,
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });

  let embedded: EmbeddedStore | null = null;
  let endpoint = config.DYNAMODB_ENDPOINT;
  if (endpoint === undefined) {
    embedded = await startEmbeddedStore({ path: join(dataDir, 'dynalite') });
    endpoint = embedded.endpoint;
    log(`embedded store (dynalite) on ${endpoint}, data in ${join(dataDir, 'dynalite')}`);
  } else {
    log(`using DynamoDB at ${endpoint}`);
  }
  const client = createDynamoClient({ region: config.AWS_REGION, endpoint });
  const baseDeps = createDependencies({
    client,
    tableName: config.TABLE_NAME,
    historyRetentionDays: config.HISTORY_RETENTION_DAYS,
    apiKeyCacheSeconds: config.API_KEY_CACHE_SECONDS,
    allowPrivateSources: config.ALLOW_PRIVATE_SOURCES,
    ...(options.now ? { now: options.now } : {}),
  });
  // Until the table is set up the store is not usable, whatever it answers (README "Limits", A store
  // that comes up late): /health says 503 and API requests get a 503 problem, never a 500.
  let ready = false;
  const deps: Dependencies = {
    ...baseDeps,
    storeHealthy: async () => ready && (await baseDeps.storeHealthy()),
  };
  const background = new BackgroundWork(log);
  const timers: NodeJS.Timeout[] = [];
  const state: { adminKeyFile: string | null } = { adminKeyFile: null };

  /** The table, the admin key, the demo lots and the background timers: all idempotent. */
  const setUp = async () => {
    const table = await ensureTable(client, config.TABLE_NAME);
    log(`table ${config.TABLE_NAME} ${table === 'created' ? 'created' : 'found'}`);
    state.adminKeyFile = await bootstrapAdminKey(
      new DynamoApiKeys(client, config.TABLE_NAME),
      config,
      dataDir,
      endpoint,
      deps.now(),
      log,
    );
    if (config.SEED_DEMO) {
      const demoCity = DEMO_CITIES[config.DEMO_CITY];
      const lots = demoLots(undefined, undefined, demoCity);
      const empty = !(await new DynamoLots(client, config.TABLE_NAME).any());
      if (empty) {
        const observations = demoObservations(lots, deps.now());
        for (const lot of lots) {
          await putLot(deps, lot.id, lot.input);
          const batch = observations.get(lot.id);
          if (batch) await ingestObservations(deps, lot.id, batch);
        }
        log(`seeded ${lots.length} demo lots around ${demoCity.name.en} city centre`);
      }
      timers.push(startDemoSensors(deps, lots, background, !empty));
    }
    ready = true;
    // What the scheduled job does on AWS: keep report rollups and forecast models current,
    // reclaim deleted lots' bays and rollups, keep the directory of non-empty cells (filled at once
    // for data from an earlier version) and the box clusters.
    background.run('cell directory', () => maintainCellDirectory(deps));
    background.run('box clusters', () => refreshClusters(deps));
    const rollupTimer = setInterval(() => {
      background.run('rollup and forecast model refresh', async () => {
        const lots = await deps.lots.list(); // read before the rollup refresh clears its marks
        await refreshRollups(deps, lots);
        await refreshForecastModels(deps, lots);
      });
      background.run('deleted lots purge', () => purgeDeletedLots(deps));
      background.run('cell directory', () => maintainCellDirectory(deps));
      background.run('box clusters', () => refreshClusters(deps));
    }, ROLLUP_INTERVAL_MS);
    rollupTimer.unref();
    timers.push(rollupTimer);
    // What the FeedJob does on AWS: fetch the feed sources that are due. One run at a time: a
    // slow feed (10 s at most each) never piles runs up.
    let feedsRunning = false;
    const feedTimer = setInterval(() => {
      if (feedsRunning) return;
      feedsRunning = true;
      background.run('feed sources', () => fetchDueSources(deps).finally(() => (feedsRunning = false)));
    }, FEED_INTERVAL_MS);
    feedTimer.unref();
    timers.push(feedTimer);
  };

  const retry = new StoreRetry();
  try {
    try {
      await setUp();
    } catch (error) {
      // The embedded store is ours and up; a configured one may not be up yet: serve and retry.
      if (embedded !== null || !isUnreachable(error)) throw error;
      log(
        `store at ${endpoint} does not answer yet (${describeError(error)}): /health answers 503 ` +
          'until it does; retrying with backoff',
      );
      retry.start(setUp, (attempts) =>
        log(`store at ${endpoint} answers after ${attempts} attempts: serving`),
      );
    }

    const app = createApp(deps, {
      city: cityConfig(config),
      clientAddress: (c) => getConnInfo(c).remote.address, // the socket's peer, never a header
      onUnexpectedError: (error, where) =>
        log(`unexpected error on ${where.method} ${where.path}: ${String(error)}`),
      onStoreUnavailable: (error, where) =>
        log(`store unavailable on ${where.method} ${where.path} (answered 503): ${String(error)}`),
    });
    const fetch: typeof app.fetch = (request, ...rest) =>
      ready || !new URL(request.url).pathname.startsWith('/v1/')
        ? app.fetch(request, ...rest)
        : storeNotReady();
    const server = await listen(fetch, config, log);
    const { port } = server.address() as AddressInfo;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    const url = `http://${host}:${port}`;
    return {
      url,
      docsUrl: `${url}/docs`,
      get adminKeyFile() {
        return state.adminKeyFile;
      },
      storeEndpoint: endpoint,
      connectionBounds: {
        requestTimeoutMs: server.requestTimeout,
        headersTimeoutMs: server.headersTimeout,
        keepAliveTimeoutMs: server.keepAliveTimeout,
        maxConnections: server.maxConnections,
      },
      openConnections: () =>
        new Promise((done, fail) => server.getConnections((e, n) => (e ? fail(e) : done(n)))),
      close: async () => {
        for (const timer of timers) clearInterval(timer);
        // Both within 3 s, so SIGTERM ends the process within 5 (README "Limits"); no write may
        // reach the store after this, since it closes next.
        await Promise.all([retry.stop(), background.stop(), closeServer(server)]);
        client.destroy();
        await embedded?.close();
      },
    };
  } catch (error) {
    await retry.stop();
    client.destroy();
    await embedded?.close();
    throw error;
  }
}

/** First wait between attempts to set up a store that did not answer; it doubles up to the cap. */
export const STORE_RETRY_FIRST_MS = 250;
export const STORE_RETRY_MAX_MS = 10_000;

/**
 * Sets up a store that did not answer at start, again and again with jittered exponential backoff
 * (STORE_RETRY_FIRST_MS doubling to STORE_RETRY_MAX_MS, each wait 50–100 % of that), until once
 * succeeds; silent meanwhile, so a store down for an hour is one line in the log, not thousands.
 */
class StoreRetry {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<unknown> = Promise.resolve();

  start(setUp: () => Promise<void>, onUp: (attempts: number) => void) {
    let attempts = 1;
    let delay = STORE_RETRY_FIRST_MS;
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(
        () => {
          attempts++;
          this.attempt = setUp().then(
            () => onUp(attempts),
            () => {
              delay = Math.min(delay * 2, STORE_RETRY_MAX_MS);
              next();
            },
          );
        },
        delay * (0.5 + Math.random() / 2),
      );
      this.timer.unref();
    };
    next();
  }

  /** No attempt starts after this; one in flight gets at most 3 s (SIGTERM ends the process within 5). */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.race([
      this.attempt.catch(() => undefined),
      new Promise((r) => setTimeout(r, 3000).unref()),
    ]);
  }
}

/**
 * Errors that mean the store is not there or not ready (yet): no HTTP answer at all (refused,
 * reset, timed out, unknown host) or a 5xx, as opposed to a store that answers "no" (4xx).
 */
function isUnreachable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

/** One short line: the error's name and the first line of its message, never a stack. */
function describeError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string } | null;
  const message = (e?.message ?? String(error)).split('\n')[0]?.slice(0, 200) ?? '';
  const name = e?.code ?? e?.name ?? 'Error';
  return message ? `${name}: ${message}` : name;
}

/** What API requests get while the store is not set up: a 503 problem, as for any store outage. */
function storeNotReady(): Response {
  return new Response(JSON.stringify(problemBody(503, 'the store does not answer yet; retry shortly')), {
    status: 503,
    headers: { 'content-type': 'application/problem+json', 'retry-after': '5' },
  });
}

/** Timer-driven work of the local server, tracked so that shutdown can wait for it (briefly). */
class BackgroundWork {
  stopping = false;
  private readonly running = new Set<Promise<void>>();
  constructor(private readonly log: (line: string) => void) {}

  run(what: string, work: () => Promise<unknown>) {
    if (this.stopping) return;
    const done: Promise<void> = work()
      .then(
        () => undefined,
        (error: unknown) => this.log(`${what} failed: ${String(error)}`),
      )
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Lets running work finish, but at most 3 s: SIGTERM must end the process within 5 (README "Limits", Shutdown). */
  async stop() {
    this.stopping = true;
    await Promise.race([Promise.all(this.running), new Promise((r) => setTimeout(r, 3000).unref())]);
  }
}

/**
 * Demo sensors: so that a demo city stays alive (and not all stale an hour after `npm start`),
 * every minute a fifth of the demo lots that still exist report a plausible count. The designated
 * silent and broken lots never do, so nodata and stale show too.
 */
function startDemoSensors(
  deps: Dependencies,
  lots: DemoLot[],
  background: BackgroundWork,
  catchUp: boolean,
): NodeJS.Timeout {
  const random = seededRandom(Date.now() % 2 ** 31);
  const live = lots.filter((_, i) => !isSilentDemoLot(i) && !isBrokenDemoLot(i));
  const report = async (share: number) => {
    const now = deps.now();
    for (const lot of live) {
      if (background.stopping) return;
      if (random() >= share) continue;
      const observation = {
        kind: 'count' as const,
        eventId: `demo-${now}-${lot.id}`.slice(0, 128),
        observedAt: now,
        occupied: demoOccupancy(lot, now, random),
      };
      try {
        await ingestObservations(deps, lot.id, [observation]);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error; // staff deleted a demo lot: fine
      }
    }
  };
  // After a restart, bring every live demo lot up to date at once; then keep going.
  if (catchUp) background.run('demo sensors', () => report(1));
  const timer = setInterval(() => background.run('demo sensors', () => report(0.2)), 60_000);
  timer.unref();
  return timer;
}

/**
 * The HTTP server with the connection bounds of README "Limits": a connection that has not sent a
 * whole request within HTTP_REQUEST_TIMEOUT_SECONDS is answered 408 and closed (Node's defaults let
 * a silent one stay 60–90 s and a half-sent body 300–330 s), and at most HTTP_MAX_CONNECTIONS are
 * open at once, so a client holding many slow connections cannot exhaust memory or descriptors.
 */
async function listen(
  fetch: Parameters<typeof createAdaptorServer>[0]['fetch'],
  config: Config,
  log: (line: string) => void,
): Promise<Server> {
  const timeoutMs = config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  const server = createAdaptorServer({
    fetch,
    hostname: config.HOST,
    createServer,
    serverOptions: {
      requestTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
  }) as Server;
  // Past the cap Node closes a new connection as soon as it is accepted, before reading anything:
  // the client sees the connection closed (or reset) with no response, and retries later.
  server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  let refused = 0;
  server.on('drop', () => {
    refused++;
    // 1, 10, 100, ...: the operator learns it happens without a line per refused connection.
    if (/^10*$/.test(String(refused)))
      log(
        `refused a connection: ${server.maxConnections} are open (HTTP_MAX_CONNECTIONS); ${refused} so far`,
      );
  });
  return await new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => {
      server.off('error', reject);
      // Once listening, an error (say, accept() out of descriptors) is logged, never a crash.
      server.on('error', (error) => log(`HTTP server error: ${String(error)}`));
      resolveServer(server);
    });
  });
}

/**
 * Stops accepting connections and closes idle ones at once, lets requests in progress finish for
 * SHUTDOWN_GRACE_MS, then cuts every connection still open (slow or silent ones included).
 */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((r) => (grace = setTimeout(r, SHUTDOWN_GRACE_MS)))]);
  clearTimeout(grace);
  server.closeAllConnections();
  await closed;
}

/**
 * The bootstrap staff key (README "Configuration"). ADMIN_API_KEY set: that secret is the admin
 * key at every start (never printed), even after a revocation, since the operator names it in the
 * configuration. Unset: the first start generates one, prints it once and saves it to
 * DATA_DIR/admin-key (mode 600). A generated key that was revoked stays revoked and the start says
 * so; deleting the file is how the operator asks for a new one.
 */
async function bootstrapAdminKey(
  keys: DynamoApiKeys,
  config: Config,
  dataDir: string,
  storeEndpoint: string,
  now: number,
  log: (line: string) => void,
): Promise<string | null> {
  const state = await adminKeyState(keys);
  if (config.ADMIN_API_KEY !== undefined) {
    await keys.ensureAdmin(config.ADMIN_API_KEY, now, true);
    log(
      state === 'revoked'
        ? 'admin key: the secret given in ADMIN_API_KEY, in force again: the admin key had been revoked, ' +
            'and ADMIN_API_KEY reinstates it at every start (unset ADMIN_API_KEY, then revoke it, to retire it)'
        : 'admin key: the secret given in ADMIN_API_KEY',
    );
    return null;
  }
  const file = join(dataDir, 'admin-key');
  const saved = existsSync(file);
  if (state === 'live') {
    log(saved ? `admin key: in ${file}` : `admin key: already in the store (key id ${ADMIN_KEY_ID})`);
    return saved ? file : null;
  }
  if (state === 'revoked' && saved) {
    log(
      `admin key: REVOKED: the key in ${file} no longer works. For a new one, stop the server, delete ` +
        `that file and start again (the new key is printed once), or while this server runs:\n` +
        `  npm run create-key -- --endpoint ${storeEndpoint} --table ${config.TABLE_NAME} --region ${config.AWS_REGION}`,
    );
    return null;
  }
  // No admin key yet (the file's secret is kept if the store was emptied), or a revoked one whose
  // file the operator deleted: a new secret replaces it.
  const secret = saved ? (await readFile(file, 'utf8')).trim() : newSecret(ADMIN_KEY_ID);
  await keys.ensureAdmin(secret, now, state === 'revoked');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  log(`admin key (shown once, saved to ${file}):\n  ${secret}`);
  return file;
}

/** Whether the bootstrap key exists, and whether it still works. */
async function adminKeyState(keys: DynamoApiKeys): Promise<'none' | 'live' | 'revoked'> {
  return keys.adminState();
}
