// The load run behind `npm run load` (and its short version in test/hardening/load.test.ts).
// Starts the local service (embedded dynalite, or DynamoDB at an endpoint), creates lots and one
// key per sensor, then for a bounded time drives it on loopback with autocannon: drivers asking
// for nearby lots, and many sensors each posting batches of gate, count and bay observations for
// their own lots, some resent (a retry after a lost reply) and some out of order. Afterwards it
// checks what the service promises: every accepted observation is in history exactly once, nothing
// else is there, and every lot's state equals the ordered replay of its history.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, {
  type Options as AutocannonOptions,
  type Request as AutocannonRequest,
  type Result as AutocannonResult,
} from 'autocannon';
import { loadConfig } from '../../shared/config';
import { DEMO_CENTRE } from '../../shared/demo/seed';
import { type Observation, replay } from '../../shared/domain/observation';
import { seededRandom } from '../../shared/domain/random';
import { startLocalServer } from '../../shared/local/server';
import { createDynamoClient } from '../../shared/store/client';
import { DynamoLots } from '../../shared/store/lots';

export interface LoadOptions {
  /** Seconds of load. */
  durationSeconds: number;
  /** Concurrent sensors, each with its own key and its own lots. */
  sensors: number;
  lotsPerSensor: number;
  /** Concurrent drivers asking for nearby lots. */
  drivers: number;
  /** Largest batch a sensor posts (1..100). */
  maxBatch: number;
  seed: number;
  /** Chance that a sensor resends its previous batch unchanged (a retry after a lost reply). */
  resendProbability: number;
  /** A DynamoDB endpoint (e.g. DynamoDB Local); unset: the embedded dynalite, as `npm start` uses. */
  dynamodbEndpoint?: string;
  log: (line: string) => void;
}

export const DEFAULT_LOAD: Omit<LoadOptions, 'log'> = {
  durationSeconds: 30,
  sensors: 64,
  lotsPerSensor: 2,
  drivers: 16,
  maxBatch: 25,
  seed: 7,
  resendProbability: 0.05,
};

interface Traffic {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadReport {
  store: string;
  durationSeconds: number;
  lots: number;
  sensors: number;
  nearby: Traffic;
  ingest: Traffic & { observationsSent: number; observationsAccepted: number; observationsPerSecond: number };
  invariants: {
    acceptedObservations: number;
    resentBatches: number;
    /** Accepted observations not found in history. */
    lost: number;
    /** Observations found in history more than once. */
    doubled: number;
    /** History entries that no accepted batch carried (only possible for batches with no reply). */
    unexpected: number;
    /** Lots whose state differs from the ordered replay of their history. */
    lotsDiverging: number;
    lotsChecked: number;
  };
}

const CENTRE = DEMO_CENTRE;
const ADMIN = `pf_admin.load-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

type Json = Record<string, unknown>;

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log;
  const dataDir = await mkdtemp(join(tmpdir(), 'parking-load-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    ADMIN_API_KEY: ADMIN,
    TABLE_NAME: `load-${Date.now()}`,
    ...(options.dynamodbEndpoint ? { DYNAMODB_ENDPOINT: options.dynamodbEndpoint } : {}),
  });
  const server = await startLocalServer(config, { log: (line) => log(`  server: ${line}`) });
  const client = createDynamoClient({ region: config.AWS_REGION, endpoint: server.storeEndpoint });
  try {
    const api = async (method: string, path: string, secret: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json().catch(() => null)) as Json | null;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    // Lots on a jittered grid around the centre; one key per sensor for its own lots.
    const layout = seededRandom(options.seed);
    const lotCount = options.sensors * options.lotsPerSensor;
    const capacityOf = new Map<string, number>();
    for (let i = 0; i < lotCount; i++) {
      const id = `load-${String(i).padStart(4, '0')}`;
      const capacity = 50 + Math.floor(layout() * 450);
      capacityOf.set(id, capacity);
      await api('PUT', `/v1/lots/${id}`, ADMIN, {
        name: `Load lot ${i}`,
        location: {
          lat: CENTRE.lat + (layout() - 0.5) * 0.06,
          lon: CENTRE.lon + (layout() - 0.5) * 0.1,
        },
        capacity,
        type: 'surface',
        timeZone: 'Europe/London',
      });
    }
    const lotIds = [...capacityOf.keys()];
    const sensors: { secret: string; lots: string[] }[] = [];
    for (let s = 0; s < options.sensors; s++) {
      const lots = lotIds.slice(s * options.lotsPerSensor, (s + 1) * options.lotsPerSensor);
      const key = await api('POST', '/v1/keys', ADMIN, { role: 'sensor', lots, label: `load sensor ${s}` });
      sensors.push({ secret: String(key?.secret), lots });
    }
    log(`${lotCount} lots, ${sensors.length} sensor keys; ${options.durationSeconds} s of load`);

    // What each sensor sent, and which batches the service accepted (a 2xx reply).
    const sent = new Map<string, Observation & { lotId: string }>();
    const accepted = new Set<string>();
    const unanswered = new Set<string>();
    let resentBatches = 0;
    let sequence = 0;
    const random = seededRandom(options.seed * 1000);
    interface Batch {
      path: string;
      body: string;
      eventIds: string[];
    }
    interface Sensor {
      secret: string;
      lots: string[];
      last?: Batch;
    }
    // autocannon resets a connection's context after every request, so sensors are lent to
    // connections: a sensor that is back in the pool has had its reply. (A connection whose
    // request timed out never returns its sensor; then a busy sensor is picked, which only adds
    // concurrent posts for one lot, as real sensors and retries produce anyway.)
    const idle: Sensor[] = [...sensors];
    const makeBatch = (sensor: Sensor): Batch => {
      // Now and then, resend the previous batch as it was (a sensor retrying after a lost reply).
      if (sensor.last && random() < options.resendProbability) {
        resentBatches++;
        return sensor.last;
      }
      const lotId = sensor.lots[Math.floor(random() * sensor.lots.length)]!;
      const size = random() < 0.5 ? 1 : 1 + Math.floor(random() * options.maxBatch);
      const observations: Json[] = [];
      const eventIds: string[] = [];
      for (let i = 0; i < size; i++) {
        const eventId = `ev-${++sequence}`;
        // Out of order: up to two minutes late.
        const observedAt = Date.now() - Math.floor(random() * 120_000);
        const kind = random();
        let observation: Observation;
        if (kind < 0.6) {
          const entries = Math.floor(random() * 4);
          observation = { kind: 'gate', eventId, observedAt, entries, exits: Math.floor(random() * 4) };
        } else if (kind < 0.8) {
          const occupied = Math.floor(random() * (capacityOf.get(lotId)! + 10));
          observation = { kind: 'count', eventId, observedAt, occupied };
        } else {
          const state = random() < 0.5 ? 'occupied' : 'vacant';
          observation = { kind: 'bay', eventId, observedAt, spaceId: `B${Math.floor(random() * 8)}`, state };
        }
        sent.set(eventId, { ...observation, lotId });
        eventIds.push(eventId);
        const { kind: _kind, ...wire } = observation;
        observations.push({ ...wire, observedAt: new Date(observedAt).toISOString() });
      }
      sensor.last = {
        path: `/v1/lots/${lotId}/observations`,
        body: JSON.stringify({ observations }),
        eventIds,
      };
      return sensor.last;
    };

    interface SensorContext {
      sensor?: Sensor;
      batch?: Batch;
    }
    const ingestRun = autocannonRun({
      url: server.url,
      connections: options.sensors,
      duration: options.durationSeconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          setupRequest: (request: AutocannonRequest, context: SensorContext) => {
            const sensor = idle.shift() ?? sensors[Math.floor(random() * sensors.length)]!;
            const batch = makeBatch(sensor);
            context.sensor = sensor;
            context.batch = batch;
            for (const id of batch.eventIds) if (!accepted.has(id)) unanswered.add(id);
            return {
              ...request,
              path: batch.path,
              body: batch.body,
              headers: { authorization: `Bearer ${sensor.secret}`, 'content-type': 'application/json' },
            };
          },
          onResponse: (status: number, _body: string, context: SensorContext) => {
            if (status >= 200 && status < 300)
              for (const id of context.batch?.eventIds ?? []) {
                accepted.add(id);
                unanswered.delete(id);
              }
            if (context.sensor && !idle.includes(context.sensor)) idle.push(context.sensor);
          },
        },
      ],
    });
    const nearbyRandom = seededRandom(options.seed + 1);
    const nearbyRun = autocannonRun({
      url: server.url,
      connections: options.drivers,
      duration: options.durationSeconds,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (request: AutocannonRequest) => {
            const lat = (CENTRE.lat + (nearbyRandom() - 0.5) * 0.06).toFixed(5);
            const lon = (CENTRE.lon + (nearbyRandom() - 0.5) * 0.1).toFixed(5);
            return { ...request, path: `/v1/lots/nearby?lat=${lat}&lon=${lon}&radius=1500&limit=10` };
          },
        },
      ],
    });
    const [ingest, nearby] = await Promise.all([ingestRun, nearbyRun]);
    // autocannon stops sending at the deadline, but the requests it had in flight still run on
    // the server: wait until no lot changes before reading a consistent picture.
    const lots = new DynamoLots(client, config.TABLE_NAME);
    const settledAfter = await waitUntilSettled(lots, lotIds);
    log(`load finished; writes settled after ${settledAfter} ms; checking history and state of every lot`);

    // Nothing lost, nothing doubled: read every lot's history (consistent reads, all pages) and
    // its state. A lot is written before its history items, so a lot that disagrees is read again
    // (a history write may still have been on its way); only a lasting disagreement counts.
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const readHistory = async (lotId: string) => {
      const history: Observation[] = [];
      let cursor: string | undefined;
      do {
        const query = `from=${from}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await api('GET', `/v1/lots/${lotId}/observations?${query}`, ADMIN)) as {
          observations: Json[];
          nextCursor?: string;
        };
        for (const wire of page.observations) history.push(fromWire(wire));
        cursor = page.nextCursor;
      } while (cursor);
      return history;
    };
    const seenTimes = new Map<string, number>();
    let lotsDiverging = 0;
    for (const lotId of lotIds) {
      let history: Observation[] = [];
      let agrees = false;
      let detail = '';
      for (let attempt = 0; attempt < 4 && !agrees; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
        history = await readHistory(lotId);
        const stored = await lots.get(lotId, true);
        const expected = replay(history).at(-1)?.occupied ?? null;
        agrees = (stored?.occupied ?? null) === expected;
        detail = `state ${stored?.occupied} but the replay of its ${history.length} observations ends at ${expected}`;
      }
      for (const o of history) seenTimes.set(o.eventId, (seenTimes.get(o.eventId) ?? 0) + 1);
      if (!agrees) {
        lotsDiverging++;
        log(`  ${lotId}: ${detail}`);
      }
    }
    let lost = 0;
    for (const id of accepted) if (!seenTimes.has(id)) lost++;
    let doubled = 0;
    let unexpected = 0;
    for (const [id, times] of seenTimes) {
      if (times > 1) doubled++;
      if (!accepted.has(id) && !unanswered.has(id)) unexpected++;
    }

    return {
      store: options.dynamodbEndpoint ? `DynamoDB at ${options.dynamodbEndpoint}` : 'embedded dynalite',
      durationSeconds: options.durationSeconds,
      lots: lotCount,
      sensors: sensors.length,
      nearby: traffic(nearby),
      ingest: {
        ...traffic(ingest),
        observationsSent: sent.size,
        observationsAccepted: accepted.size,
        observationsPerSecond: Math.round(accepted.size / options.durationSeconds),
      },
      invariants: {
        acceptedObservations: accepted.size,
        resentBatches,
        lost,
        doubled,
        unexpected,
        lotsDiverging,
        lotsChecked: lotIds.length,
      },
    };
  } finally {
    client.destroy();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Polls every lot's version until two reads 500 ms apart agree (at most 60 s). */
async function waitUntilSettled(lots: DynamoLots, ids: string[]): Promise<number> {
  const started = Date.now();
  const versions = async () => (await lots.getMany(ids)).map((lot) => `${lot.id}@${lot.version}`).join();
  let previous = await versions();
  while (Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await versions();
    if (now === previous) return Date.now() - started;
    previous = now;
  }
  throw new Error('the lots kept changing for 60 s after the load stopped');
}

function fromWire(wire: Json): Observation {
  const base = { eventId: String(wire.eventId), observedAt: Date.parse(String(wire.observedAt)) };
  if (typeof wire.spaceId === 'string')
    return { ...base, kind: 'bay', spaceId: wire.spaceId, state: wire.state as 'occupied' | 'vacant' };
  if (typeof wire.entries === 'number' || typeof wire.exits === 'number')
    return { ...base, kind: 'gate', entries: Number(wire.entries ?? 0), exits: Number(wire.exits ?? 0) };
  return { ...base, kind: 'count', occupied: Number(wire.occupied) };
}

async function autocannonRun(options: AutocannonOptions): Promise<AutocannonResult> {
  return await autocannon(options);
}

function traffic(result: AutocannonResult): Traffic {
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    status2xx: result['2xx'],
    status4xx: result['4xx'],
    status5xx: result['5xx'],
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
