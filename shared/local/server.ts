// Local mode (CONTRACT §0): the embedded store (or DYNAMODB_ENDPOINT), the table, the admin
// key, demo lots, and the same Hono app Lambda serves, on a plain Node HTTP server.
// functions/local.ts is the command-line wrapper; tests start this in-process.

import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Config } from '../config';
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
import { ADMIN_KEY_ID, DynamoApiKeys, newSecret } from '../store/api-keys';
import { createDynamoClient } from '../store/client';
import { type EmbeddedStore, startEmbeddedStore } from '../store/embedded';
import { DynamoLots } from '../store/lots';
import { ensureTable } from '../store/schema';
import { maintainCellDirectory } from '../use-cases/cell-directory';
import { NotFoundError } from '../use-cases/errors';
import { ingestObservations } from '../use-cases/ingest';
import { putLot } from '../use-cases/manage-lots';
import type { Dependencies } from '../use-cases/ports';
import { refreshRollups } from '../use-cases/reports';

const ROLLUP_INTERVAL_MS = 5 * 60_000;

export interface LocalServer {
  url: string;
  docsUrl: string;
  /** Where the generated admin key is saved, or null when it came from ADMIN_API_KEY. */
  adminKeyFile: string | null;
  /** The DynamoDB endpoint it uses (the embedded store's, or DYNAMODB_ENDPOINT). */
  storeEndpoint: string;
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
  try {
    const table = await ensureTable(client, config.TABLE_NAME);
    log(`table ${config.TABLE_NAME} ${table === 'created' ? 'created' : 'found'}`);

    const deps = createDependencies({
      client,
      tableName: config.TABLE_NAME,
      historyRetentionDays: config.HISTORY_RETENTION_DAYS,
      ...(options.now ? { now: options.now } : {}),
    });
    const adminKeyFile = await bootstrapAdminKey(
      new DynamoApiKeys(client, config.TABLE_NAME),
      config,
      dataDir,
      deps.now(),
      log,
    );

    const background = new BackgroundWork(log);
    let demoTimer: NodeJS.Timeout | undefined;
    if (config.SEED_DEMO) {
      const lots = demoLots();
      const empty = !(await new DynamoLots(client, config.TABLE_NAME).any());
      if (empty) {
        const observations = demoObservations(lots, deps.now());
        for (const lot of lots) {
          await putLot(deps, lot.id, lot.input);
          const batch = observations.get(lot.id);
          if (batch) await ingestObservations(deps, lot.id, batch);
        }
        log(`seeded ${lots.length} demo lots around Birmingham city centre`);
      }
      demoTimer = startDemoSensors(deps, lots, background, !empty);
    }

    const app = createApp(deps, {
      onUnexpectedError: (error, where) =>
        log(`unexpected error on ${where.method} ${where.path}: ${String(error)}`),
      onStoreUnavailable: (error, where) =>
        log(`store unavailable on ${where.method} ${where.path} (answered 503): ${String(error)}`),
    });
    const server = await listen(app.fetch, config.HOST, config.PORT);
    // What the scheduled job does on AWS: keep report rollups current (shared/store/rollups.ts)
    // and the directory of non-empty cells (filled at once for data from an earlier version).
    background.run('cell directory', () => maintainCellDirectory(deps));
    const rollupTimer = setInterval(() => {
      background.run('rollup refresh', () => refreshRollups(deps));
      background.run('cell directory', () => maintainCellDirectory(deps));
    }, ROLLUP_INTERVAL_MS);
    rollupTimer.unref();
    const { port } = server.address() as AddressInfo;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    const url = `http://${host}:${port}`;
    return {
      url,
      docsUrl: `${url}/docs`,
      adminKeyFile,
      storeEndpoint: endpoint,
      close: async () => {
        clearInterval(rollupTimer);
        clearInterval(demoTimer);
        await background.stop(); // no write may reach a store that is closing
        await new Promise<void>((r) => {
          server.close(() => r());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        client.destroy();
        await embedded?.close();
      },
    };
  } catch (error) {
    client.destroy();
    await embedded?.close();
    throw error;
  }
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

  /** Lets running work finish, but at most 3 s: SIGTERM must end the process within 5 (CONTRACT §6). */
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

async function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  hostname: string,
  port: number,
): Promise<ServerType> {
  return await new Promise((resolveServer, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolveServer(server));
    server.once('error', reject);
  });
}

/**
 * ADMIN_API_KEY set: that secret is the staff key (never printed). Unset: the first start
 * generates one, prints it once and saves it to DATA_DIR/admin-key (mode 600).
 */
async function bootstrapAdminKey(
  keys: DynamoApiKeys,
  config: Config,
  dataDir: string,
  now: number,
  log: (line: string) => void,
): Promise<string | null> {
  if (config.ADMIN_API_KEY !== undefined) {
    await keys.ensureAdmin(config.ADMIN_API_KEY, now, true);
    log('admin key: the secret given in ADMIN_API_KEY');
    return null;
  }
  const file = join(dataDir, 'admin-key');
  if (await keys.hasAdmin()) {
    log(
      existsSync(file) ? `admin key: in ${file}` : `admin key: already in the store (key id ${ADMIN_KEY_ID})`,
    );
    return existsSync(file) ? file : null;
  }
  const secret = existsSync(file) ? (await readFile(file, 'utf8')).trim() : newSecret(ADMIN_KEY_ID);
  await keys.ensureAdmin(secret, now, false);
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  log(`admin key (shown once, saved to ${file}):\n  ${secret}`);
  return file;
}
