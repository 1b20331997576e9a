// Benchmark section 2 (README "Benchmarks"): ingestion. Observations per second through the HTTP API of the local server
// (many concurrent sensors, each with its own sensor key for its own lots; batches of 1 and of 25)
// against raw conditional UpdateItem calls per second on the same store at the same concurrency
// (the ceiling), and the write and read units the store reports per observation.
//
// The server (the project's Hono app on @hono/node-server) runs in its own process with a metered
// DynamoDB client (lib/meter.ts: ReturnConsumedCapacity INDEXES on every write); an embedded dynalite
// runs in another; autocannon and the raw UpdateItem loop run here. Raw and HTTP runs alternate
// within each repetition, on the same table, so drift hits both alike.
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import autocannon, { type RequestSpec } from 'autocannon';
import { DEMO_CENTRE } from '../../shared/demo/seed';
import { createDependencies } from '../../shared/dependencies';
import { seededRandom } from '../../shared/domain/random';
import { mapLimit } from '../../shared/lib/concurrency';
import { createKey } from '../../shared/use-cases/manage-keys';
import { putLot } from '../../shared/use-cases/manage-lots';
import type { IngestRow, SectionOptions, StoreName } from '../types';
import { alongside, type BenchStore, openBenchStore, round, runFor, spread, storesFor } from './lib/common';
import { startHelper, takeCounts, untilIdle } from './lib/procs';

/** Lots each simulated sensor reports for (its key lists exactly these). */
export const LOTS_PER_SENSOR = 4;
export const BATCH_SIZES = [1, 25] as const;

export interface IngestSettings {
  seconds: number;
  /**
   * Each measured run lasts `seconds` and also until this many requests were answered: a window
   * sized by what a figure needs, so a slow (busy) machine measures a longer run, never an empty one.
   */
  minRequests: number;
  concurrencies: number[];
  stores: StoreName[];
  warmupSeconds: number;
}

export function ingestSettings(o: SectionOptions): IngestSettings {
  return {
    seconds: o.quick ? 1.5 : 10,
    minRequests: o.quick ? 20 : 100,
    // Not above 50: the SDK's HTTP agent keeps at most 50 sockets per client, which would cap the
    // raw loop and the server's store calls below the concurrency asked for.
    concurrencies: o.quick ? [32] : [8, 32],
    stores: storesFor(o),
    warmupSeconds: o.quick ? 0.5 : 2,
  };
}

export async function benchIngest(o: SectionOptions, settings = ingestSettings(o)): Promise<IngestRow[]> {
  const rows: IngestRow[] = [];
  for (const kind of settings.stores) {
    for (const concurrency of settings.concurrencies) {
      rows.push(...(await ingestOn(kind, concurrency, o, settings)));
    }
  }
  return rows;
}

interface Sensor {
  secret: string;
  lots: string[];
}

/** One measurement's figures. */
export interface HttpIngestRun {
  observationsPerSecond: number;
  /** Observations in 2xx answers (batch × 2xx responses). */
  sent: number;
  /** What the server's metrics counted as applied (ObservationsApplied). */
  applied: number;
  non2xx: number;
  errors: number;
  writeUnits: number;
  indexWriteUnits: number;
  readUnits: number;
  /** Store requests the server sent, per SDK command (GetItemCommand, ...). */
  storeRequests: Record<string, number>;
  serverErrors: string[];
}

async function ingestOn(
  kind: StoreName,
  concurrency: number,
  o: SectionOptions,
  settings: IngestSettings,
): Promise<IngestRow[]> {
  const store = await openBenchStore(kind, o, 'ingest');
  try {
    const loads = new Map<number, SensorLoad>();
    // The server starts (its own process) while the lots are seeded.
    const app = await alongside(
      startHelper({ mode: 'app', endpoint: store.endpoint, tableName: store.tableName }),
      async () => {
        // Each batch size has its own sensors and lots: a lot's item then always looks like the one
        // a sensor of that kind keeps writing (a PutItem costs the larger of the old and the new item).
        for (const batch of BATCH_SIZES) {
          loads.set(batch, new SensorLoad(await seedSensors(store, concurrency, `b${batch}`)));
        }
      },
    );
    o.log(
      `ingest ${kind}: per batch size ${concurrency} sensors × ${LOTS_PER_SENSOR} lots, concurrency ` +
        `${concurrency}, ${settings.seconds} s per run × ${o.repetitions}`,
    );
    try {
      const url = app.ready.url!;
      // Warm-up (JIT, connections, the store's first writes): not counted.
      if (settings.warmupSeconds > 0) {
        await rawUpdates(store, concurrency, settings.warmupSeconds);
        for (const batch of BATCH_SIZES)
          await postObservations(url, loads.get(batch)!, batch, concurrency, settings.warmupSeconds);
        await untilIdle(app);
      }
      await takeCounts(app);

      const raw: number[] = [];
      const http = new Map<number, HttpIngestRun[]>(BATCH_SIZES.map((b) => [b, []]));
      for (let rep = 0; rep < o.repetitions; rep++) {
        // Rotate the order each repetition so no approach always runs first.
        const order: (number | 'raw')[] = ['raw', ...BATCH_SIZES];
        for (let k = 0; k < rep % order.length; k++) order.push(order.shift()!);
        for (const what of order) {
          if (what === 'raw') {
            raw.push(await rawUpdates(store, concurrency, settings.seconds, settings.minRequests));
            o.log(`  rep ${rep + 1}: raw conditional UpdateItem ${round(raw.at(-1)!, 0)}/s`);
            continue;
          }
          await untilIdle(app);
          await takeCounts(app); // zero the server's counters
          const run = await postObservations(
            url,
            loads.get(what)!,
            what,
            concurrency,
            settings.seconds,
            settings.minRequests,
          );
          await untilIdle(app); // requests still in flight when autocannon stopped
          const counts = await takeCounts(app);
          const measured: HttpIngestRun = {
            ...run,
            applied: counts.metrics.ObservationsApplied ?? 0,
            writeUnits: counts.meter.writeUnits,
            indexWriteUnits: counts.meter.indexWriteUnits,
            readUnits: counts.meter.readUnits,
            storeRequests: counts.meter.byCommand,
            serverErrors: counts.errors,
          };
          if (run.sent === 0)
            throw new Error(`no observation was accepted: ${measured.serverErrors.join('; ')}`);
          http.get(what)!.push(measured);
          o.log(
            `  rep ${rep + 1}: batch ${what}: ${round(measured.observationsPerSecond, 0)} obs/s, ` +
              `${measured.sent} sent, ${measured.applied} applied, ${measured.non2xx} non-2xx, ` +
              `${measured.errors} errors, ${round(measured.writeUnits / Math.max(1, measured.applied), 3)} WCU/obs`,
          );
          for (const e of measured.serverErrors) o.log(`    server error: ${e}`);
          o.log(
            `    store requests per observation: ${perObservation(counts.meter.byCommand, measured.applied)}`,
          );
        }
      }

      const rawSpread = spread(raw);
      return BATCH_SIZES.map((batch) => {
        const runs = http.get(batch)!;
        const obs = spread(runs.map((r) => r.observationsPerSecond));
        const applied = runs.reduce((s, r) => s + r.applied, 0);
        const units = runs.reduce((s, r) => s + r.writeUnits, 0);
        const indexUnits = runs.reduce((s, r) => s + r.indexWriteUnits, 0);
        const readUnits = runs.reduce((s, r) => s + r.readUnits, 0);
        const byCommand: Record<string, number> = {};
        for (const r of runs) {
          for (const [command, n] of Object.entries(r.storeRequests)) {
            const name = command.replace(/Command$/, '');
            byCommand[name] = (byCommand[name] ?? 0) + n;
          }
        }
        const requests = Object.values(byCommand).reduce((s, n) => s + n, 0);
        return {
          store: kind,
          concurrency,
          batch,
          observationsPerSecond: round(obs.median, 1),
          rawUpdatesPerSecond: round(rawSpread.median, 1),
          ratio: round(obs.median / rawSpread.median, 3),
          writeUnitsPerObservation: round(units / Math.max(1, applied), 3),
          indexWriteUnitsPerObservation: round(indexUnits / Math.max(1, applied), 3),
          readUnitsPerObservation: round(readUnits / Math.max(1, applied), 3),
          storeRequestsPerObservation: round(requests / Math.max(1, applied), 3),
          storeRequestsPerObservationByCommand: Object.fromEntries(
            Object.entries(byCommand).map(([command, n]) => [command, round(n / Math.max(1, applied), 3)]),
          ),
          observationsPerSecondSpread: roundSpread(obs),
          rawUpdatesPerSecondSpread: roundSpread(rawSpread),
          failedRequests: runs.reduce((s, r) => s + r.non2xx + r.errors, 0),
        };
      });
    } finally {
      await app.stop();
    }
  } finally {
    await store.close();
  }
}

function perObservation(byCommand: Record<string, number>, observations: number): string {
  return Object.entries(byCommand)
    .map(([command, n]) => `${command.replace(/Command$/, '')} ${round(n / Math.max(1, observations), 2)}`)
    .join(', ');
}

const roundSpread = (s: { median: number; min: number; max: number }) => ({
  median: round(s.median, 1),
  min: round(s.min, 1),
  max: round(s.max, 1),
});

/** `LOTS_PER_SENSOR` lots per sensor, created through the use case; one sensor key per sensor. */
export async function seedSensors(store: BenchStore, sensors: number, prefix: string): Promise<Sensor[]> {
  const deps = createDependencies({ client: store.client, tableName: store.tableName });
  const random = seededRandom(8_2026);
  const ids = Array.from({ length: sensors * LOTS_PER_SENSOR }, (_, i) => `ingest-${prefix}-${i}`);
  await mapLimit(ids, 16, async (id) => {
    await putLot(deps, id, {
      name: `Ingest lot ${id}`,
      location: {
        lat: DEMO_CENTRE.lat + (random() - 0.5) * 0.1,
        lon: DEMO_CENTRE.lon + (random() - 0.5) * 0.15,
      },
      capacity: 100 + Math.floor(random() * 400),
      type: 'garage',
      features: [],
      timeZone: 'Europe/London',
      staleAfterSeconds: 3600,
    });
  });
  const result: Sensor[] = [];
  for (let s = 0; s < sensors; s++) {
    const lots = ids.slice(s * LOTS_PER_SENSOR, (s + 1) * LOTS_PER_SENSOR);
    const { secret } = await createKey(deps, { role: 'sensor', lots, label: `bench sensor ${prefix}-${s}` });
    result.push({ secret, lots });
  }
  return result;
}

/**
 * Request bodies: lots taken round-robin (so the requests in flight are for different lots, as many
 * independent sensors' would be), each with its own sensor's key, unique event ids, absolute counts
 * with strictly increasing observation times per lot (never in the future).
 */
export class SensorLoad {
  private next = 0;
  private eventSeq = 0;
  private readonly last = new Map<string, number>();
  private readonly occupied = new Map<string, number>();
  private readonly random = seededRandom(20_261_123);
  private readonly lots: { id: string; auth: string }[];

  constructor(sensors: readonly Sensor[]) {
    // Interleave sensors: lot k of every sensor before lot k + 1 of any.
    this.lots = [];
    for (let k = 0; k < LOTS_PER_SENSOR; k++) {
      for (const s of sensors) this.lots.push({ id: s.lots[k]!, auth: `Bearer ${s.secret}` });
    }
  }

  request(batch: number): { path: string; headers: Record<string, string>; body: string } {
    const lot = this.lots[this.next++ % this.lots.length]!;
    const now = Date.now();
    let last = this.last.get(lot.id) ?? now - 3_600_000;
    let occupied = this.occupied.get(lot.id) ?? 50;
    const observations = [];
    for (let i = 0; i < batch; i++) {
      last = Math.max(last + 1, now - (batch - i) * 1000);
      occupied = Math.max(0, occupied + Math.round((this.random() - 0.5) * 6));
      observations.push({
        eventId: `b${this.eventSeq++}`,
        observedAt: new Date(last).toISOString(),
        occupied,
      });
    }
    this.last.set(lot.id, last);
    this.occupied.set(lot.id, occupied);
    return {
      path: `/v1/lots/${lot.id}/observations`,
      headers: { authorization: lot.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ observations }),
    };
  }
}

export async function postObservations(
  url: string,
  load: SensorLoad,
  batch: number,
  connections: number,
  seconds: number,
  minRequests = 0,
): Promise<Pick<HttpIngestRun, 'observationsPerSecond' | 'sent' | 'non2xx' | 'errors'>> {
  const requests: RequestSpec[] = [
    { method: 'POST', setupRequest: (req) => ({ ...req, method: 'POST', ...load.request(batch) }) },
  ];
  const timed = await autocannon({ url, connections, duration: seconds, timeout: 30, requests });
  const runs = [timed];
  // Short of the requests a figure needs (a busy machine): go on for exactly the rest (autocannon
  // refuses more connections than requests, which a nearly finished run would ask for).
  const missing = minRequests - timed['2xx'];
  if (missing > 0) {
    runs.push(
      await autocannon({
        url,
        connections: Math.min(connections, missing),
        amount: missing,
        timeout: 30,
        requests,
      }),
    );
  }
  const answered = runs.reduce((n, r) => n + r['2xx'], 0);
  const sent = answered * batch;
  return {
    observationsPerSecond: sent / runs.reduce((t, r) => t + r.duration, 0),
    sent,
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors + r.timeouts, 0),
  };
}

/** The ceiling: `concurrency` loops of conditional UpdateItem (newer-wins, as a state write is) on the same table. */
export async function rawUpdates(
  store: BenchStore,
  concurrency: number,
  seconds: number,
  minCalls = 0,
): Promise<number> {
  const last = new Map<number, number>();
  const run = await runFor(seconds, concurrency, minCalls, async (worker) => {
    const at = Math.max((last.get(worker) ?? 0) + 1, Date.now());
    last.set(worker, at);
    await store.client.send(
      new UpdateItemCommand({
        TableName: store.tableName,
        Key: { pk: { S: `BENCH#raw-${worker}` }, sk: { S: 'STATE' } },
        UpdateExpression: 'SET #occupied = :occupied, #lastAt = :at',
        ConditionExpression: 'attribute_not_exists(#lastAt) OR #lastAt < :at',
        ExpressionAttributeNames: { '#occupied': 'occupied', '#lastAt': 'lastAt' },
        ExpressionAttributeValues: { ':occupied': { N: String(at % 500) }, ':at': { N: String(at) } },
      }),
    );
  });
  return run.calls / run.seconds;
}
