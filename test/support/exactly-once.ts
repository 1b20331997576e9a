// Shared by the fault suites: the real app over a real store through the project's own client,
// sensors' batches, and the exactly-once invariants checked after faults.
import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { expect } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { dataScope } from '../../shared/domain/lot-incarnation';
import { compareObservations, type Observation, replay } from '../../shared/domain/observation';
import { createApp } from '../../shared/http/app';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import { type ClientOptions, createDynamoClient } from '../../shared/store/client';
import { bayPk } from '../../shared/store/keys';
import { ensureTable } from '../../shared/store/schema';
import type { Dependencies } from '../../shared/use-cases/ports';
import { seededRandom } from './faulty-client';
import { STAFF_SECRET, type testClock } from './stores';
import { toWire } from './wire';

export const LOT = {
  name: 'Fault lot',
  location: { lat: 52.48, lon: -1.9 },
  capacity: 200,
  type: 'garage',
  timeZone: 'Europe/London',
};

export type Clock = ReturnType<typeof testClock>;

/** The real app (createApp(createDependencies(...))) over `client`, with a known staff key. */
export function appOver(client: DynamoDBClient, tableName: string, clock: Clock) {
  const deps: Dependencies = createDependencies({ client, tableName, now: clock.now });
  const errors: unknown[] = [];
  const app = createApp(deps, {
    onUnexpectedError: (e) => errors.push(e),
    authThrottle: { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
  });
  const staff = { authorization: `Bearer ${STAFF_SECRET}`, 'content-type': 'application/json' };
  const request = (path: string, init: { method?: string; json?: unknown } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      headers: staff,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  return { app, deps, errors, request };
}

export type TestApp = ReturnType<typeof appOver>;

/** A new table on `endpoint` with the staff key; returns the client options used. */
export async function prepareTable(endpoint: string, clock: Clock): Promise<string> {
  const tableName = `t-${randomUUID().slice(0, 8)}`;
  const client = createDynamoClient({ region: 'us-east-1', endpoint });
  await ensureTable(client, tableName);
  await new DynamoApiKeys(client, tableName).ensureAdmin(STAFF_SECRET, clock.now(), true);
  client.destroy();
  return tableName;
}

export function clientFor(endpoint: string, options: Partial<ClientOptions> = {}): DynamoDBClient {
  return createDynamoClient({ region: 'us-east-1', endpoint, ...options });
}

/** What a 503 must look like: problem+json, Retry-After, no internals. */
export async function expectUnavailable(res: Response, what: string) {
  expect(res.status, what).toBe(503);
  expect(res.headers.get('content-type'), what).toBe('application/problem+json');
  expect(Number(res.headers.get('retry-after')), what).toBeGreaterThan(0);
  const text = await res.text();
  expect(text, what).not.toMatch(/at .*\.[jt]s|ECONNRESET|ETIMEDOUT|Exception|node_modules/);
  expect(JSON.parse(text).status, what).toBe(503);
}

/**
 * A sensor's batch: absolute counts, gate counts and bays (none if `bays` is empty: a lot without
 * bays folds on the fast path, a lot with bays replays), observed out of order in the last hour.
 */
export function makeBatch(
  random: () => number,
  prefix: string,
  now: number,
  size: number,
  bays = ['B1', 'B2', 'B3', 'B4'],
): Observation[] {
  return Array.from({ length: size }, (_, i): Observation => {
    const eventId = `${prefix}-${i}`;
    const observedAt = now - Math.floor(random() * 3_600_000);
    const pick = random();
    if (pick < 0.25) return { eventId, observedAt, kind: 'count', occupied: Math.floor(random() * 150) };
    if (pick < 0.65 || bays.length === 0)
      return {
        eventId,
        observedAt,
        kind: 'gate',
        entries: Math.floor(random() * 6),
        exits: Math.floor(random() * 4),
      };
    return {
      eventId,
      observedAt,
      kind: 'bay',
      spaceId: bays[Math.floor(random() * bays.length)]!,
      state: random() < 0.6 ? 'occupied' : 'vacant',
    };
  });
}

/**
 * One observation of each kind the protocol writes separately: a count and a gate report, plus
 * a bay report only when the bay write is the one under test (a lot with bays replays its history
 * on every fold, which would hide an event applied twice; a lot without takes the fast path).
 */
export function protocolBatch(lotId: string, now: number, withBay: boolean): Observation[] {
  const batch: Observation[] = [
    { eventId: `${lotId}-c`, observedAt: now - 600_000, kind: 'count', occupied: 40 },
    { eventId: `${lotId}-g`, observedAt: now - 300_000, kind: 'gate', entries: 5, exits: 2 },
  ];
  if (withBay)
    batch.push({
      eventId: `${lotId}-b`,
      observedAt: now - 200_000,
      kind: 'bay',
      spaceId: 'B1',
      state: 'occupied',
    });
  return batch;
}

export const post = (t: TestApp, lotId: string, batch: readonly Observation[]) =>
  t.request(`/v1/lots/${lotId}/observations`, { method: 'POST', json: { observations: batch.map(toWire) } });

/** Posts the batch again and again, like a sensor, until it is accepted. Returns the statuses. */
export async function postUntilAccepted(
  t: TestApp,
  lotId: string,
  batch: readonly Observation[],
  maxAttempts = 40,
): Promise<{ statuses: number[]; body: IngestBody }> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const res = await post(t, lotId, batch);
    statuses.push(res.status);
    if (res.status === 200) return { statuses, body: (await res.json()) as IngestBody };
    await expectUnavailable(res, `POST ${lotId} attempt ${attempt + 1}`);
  }
  throw new Error(`batch for ${lotId} not accepted after ${maxAttempts} attempts: ${statuses.join(',')}`);
}

/**
 * What the sensor is told after the reply of one ingestion write was lost (once, and the SDK's
 * retry absorbed it, or on every attempt, and the sensor retried). The lot write is the one that
 * applies a batch: once it committed, every later delivery is a duplicate, including the SDK's
 * own retry of that write, which then finds the events pending on the lot.
 */
export function lostReplyOutcome(write: string, exhausted: boolean): 'applied' | 'duplicate' {
  return write === 'lot' || exhausted ? 'duplicate' : 'applied';
}

export interface IngestBody {
  results: { eventId: string; outcome: 'applied' | 'duplicate' | 'stale' }[];
  applied: number;
  duplicates: number;
  stale: number;
}

/**
 * The exactly-once invariants, read through the app (history, lot) and the table (bays):
 *  - history lists every event in `mustHave` once, only events from `sent`, each with its body;
 *  - the lot's raw state is the replay of its history (nothing applied twice, nothing lost);
 *  - every event still pending on the lot is in history; every bay item is its latest report.
 */
/**
 * After a faulted batch: a later batch (past the 10 s repair delay) still folds on the right
 * state and bays, and a late resend of the first batch, once the lot's pending list has moved
 * on, is found in history; then every sent observation is there exactly once.
 */
export async function expectLaterBatchesStillOnce(
  t: TestApp,
  client: DynamoDBClient,
  tableName: string,
  clock: Clock,
  lotId: string,
  batch: readonly Observation[],
  sent: Map<string, Observation>,
  seed: number,
) {
  clock.advance(11_000);
  const bays = batch.some((o) => o.kind === 'bay') ? ['B1', 'B2'] : [];
  const later = makeBatch(seededRandom(seed), `${lotId}-later`, clock.now(), 5, bays);
  await postUntilAccepted(t, lotId, later);
  for (const o of later) sent.set(o.eventId, o);
  const resent = (await (await post(t, lotId, batch)).json()) as { duplicates: number };
  expect(resent.duplicates).toBe(batch.length);
  await expectExactlyOnce(t, client, tableName, lotId, sent);
}

export async function expectExactlyOnce(
  t: TestApp,
  client: DynamoDBClient,
  tableName: string,
  lotId: string,
  sent: ReadonlyMap<string, Observation>,
  mustHave: Iterable<string> = sent.keys(),
) {
  const now = t.deps.now();
  const listed: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({
      from: new Date(now - 2 * 86_400_000).toISOString(),
      to: new Date(now + 3_600_000).toISOString(),
      ...(cursor ? { cursor } : {}),
    });
    const res = await t.request(`/v1/lots/${lotId}/observations?${q}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { observations: Record<string, unknown>[]; nextCursor?: string };
    listed.push(...page.observations);
    cursor = page.nextCursor;
  } while (cursor);

  const ids = listed.map((o) => o.eventId as string);
  expect(new Set(ids).size, `${lotId}: an event listed twice`).toBe(ids.length);
  for (const id of mustHave) expect(ids, `${lotId}: accepted event lost`).toContain(id);
  const history: Observation[] = [];
  for (const item of listed) {
    const o = sent.get(item.eventId as string);
    expect(o, `${lotId}: unknown event ${String(item.eventId)}`).toBeDefined();
    const { receivedAt: _r, ...wire } = item;
    expect(wire).toEqual(toWire(o!));
    history.push(o!);
  }

  const lot = (await t.deps.lots.get(lotId, true))!;
  const last = replay(history).at(-1);
  expect(lot.occupied, `${lotId}: state is not the replay of history`).toBe(last?.occupied ?? null);
  for (const id of Object.keys(lot.pending))
    expect(ids, `${lotId}: pending event not in history`).toContain(id);

  const latest = new Map<string, Observation & { kind: 'bay' }>();
  for (const o of [...history].sort(compareObservations)) if (o.kind === 'bay') latest.set(o.spaceId, o);
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: bayPk(dataScope(lot)) } },
      ConsistentRead: true,
    }),
  );
  const bays = Object.fromEntries(
    Items.map((i) => unmarshall(i)).map((b) => [b.sk, { state: b.state, eventId: b.eventId }]),
  );
  expect(bays, `${lotId}: bay items`).toEqual(
    Object.fromEntries([...latest].map(([space, o]) => [space, { state: o.state, eventId: o.eventId }])),
  );
  return { history, occupied: lot.occupied };
}

export { seededRandom };
