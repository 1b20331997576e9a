// Store faults injected into the project's real DynamoDBClient (test/support/faulty-client.ts),
// asserted through the real app over a real store (dynalite, and DynamoDB Local where Java is).
//  (a) retries run out (throttling, 500s, requests past the timeout, lost replies): 503
//      problem+json with Retry-After, within the bound the client's timeouts × attempts give,
//      never a 500, never a hang; /health says 503; the same client recovers when faults stop;
//  (b) faults within the retry budget: the request succeeds;
//  (c) unknown outcome: the reply to each write of the ingestion protocol (lot state, bay,
//      history) is lost after the write committed; the sensor retries the same batch and every
//      observation ends up in history exactly once, with the lot state equal to its replay.
// Client settings for speed: requestTimeout 800 ms, connectionTimeout 300 ms, maxAttempts 3 (the
// project's default). One test keeps the production defaults (2 s) to measure their bound.
// Every test has its own client (so its own SDK retry quota), clock and lots, so they run
// concurrently; the random run is sequential inside, so its seed fixes which calls fail.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../shared/store/client';
import { type EmbeddedStore, startEmbeddedStore } from '../../shared/store/embedded';
import {
  appOver,
  clientFor,
  expectExactlyOnce,
  expectLaterBatchesStillOnce,
  expectUnavailable,
  type IngestBody,
  LOT,
  lostReplyOutcome,
  makeBatch,
  post,
  postUntilAccepted,
  prepareTable,
  protocolBatch,
  seededRandom,
  type TestApp,
} from '../support/exactly-once';
import { type Fault, type FaultRule, injectFaults, on, type WriteKind } from '../support/faulty-client';
import { type StoreKind, storeKinds, testClock } from '../support/stores';

const SEED = 20_261_123;
const FAST = { requestTimeoutMs: 800, connectionTimeoutMs: 300 };
const MAX_ATTEMPTS = 3; // shared/store/client.ts default
/** Upper bounds of the SDK's jittered backoff before retries 1 and 2 (standard retry strategy). */
const BACKOFF_MS = { transient: 50 + 100, throttling: 1000 + 2000 };
/** Scheduling slack on a shared, noisy machine (the store's own work, other suites). */
const SLACK_MS = 1500;

/** A request whose store calls all fail ends within this: attempts × per-attempt wait + backoff. */
function boundMs(fault: Fault, requestTimeoutMs: number): number {
  const perAttempt = fault.kind === 'slow-request' ? Math.min(fault.ms, requestTimeoutMs) : 0;
  const backoff = fault.kind === 'throttle' ? BACKOFF_MS.throttling : BACKOFF_MS.transient;
  return MAX_ATTEMPTS * perAttempt + backoff;
}

const label = (f: Fault) =>
  [f.kind, 'code' in f ? f.code : '', 'as' in f ? f.as : '', 'afterCommit' in f ? 'after commit' : '']
    .filter(Boolean)
    .join(' ');

describe.concurrent.each(storeKinds())('SDK-level store faults on %s', (kind: StoreKind) => {
  let endpoint: string;
  let embedded: EmbeddedStore | undefined;
  let tableName: string;
  const opened: { client: { destroy(): void }; t: TestApp }[] = [];

  beforeAll(async () => {
    if (kind === 'dynalite') {
      embedded = await startEmbeddedStore();
      endpoint = embedded.endpoint;
    } else endpoint = inject('ddbLocalEndpoint')!;
    tableName = await prepareTable(endpoint, testClock());
  });
  afterAll(async () => {
    for (const { client, t } of opened) {
      expect(t.errors, 'no request may end in a 500').toEqual([]);
      client.destroy();
    }
    await embedded?.close();
  });

  let lotCount = 0;
  /** A fresh client (its own retry quota), faults injected, the app over it, and a new lot. */
  async function open(seed = SEED) {
    const clock = testClock();
    const client = clientFor(endpoint, FAST);
    const faults = injectFaults(client, { seed });
    const t = appOver(client, tableName, clock);
    opened.push({ client, t });
    const newLot = async () => {
      const id = `lot-${++lotCount}`;
      // 201, or 200 if the SDK retried a create whose reply was slow (the machine is shared).
      expect([200, 201]).toContain((await t.request(`/v1/lots/${id}`, { method: 'PUT', json: LOT })).status);
      return id;
    };
    return { client, faults, t, clock, lotId: await newLot(), newLot };
  }

  const exhausting: Fault[] = [
    { kind: 'throttle', code: 'ProvisionedThroughputExceededException' },
    { kind: 'throttle', code: 'ThrottlingException' },
    { kind: 'server-error' },
    { kind: 'slow-request', ms: 5_000 },
    { kind: 'drop-reply', as: 'reset' },
    { kind: 'drop-reply', as: 'timeout' },
  ];
  it.each(
    exhausting.map((fault) => ({ fault, name: label(fault) })),
  )('(a) retries exhausted by $name: 503 + Retry-After within the bound, then recovery', async ({
    fault,
  }) => {
    const { client, faults, t, clock, lotId } = await open();
    const batch = makeBatch(seededRandom(SEED), `${lotId}-x`, clock.now(), 3);
    faults.set({ when: on.any, fault });
    const bound = boundMs(fault, FAST.requestTimeoutMs) + SLACK_MS;
    // Concurrently: a driver's reads, a sensor's batch, the health probe.
    const requests = [
      `/v1/lots/${lotId}`,
      '/v1/lots/nearby?lat=52.48&lon=-1.9',
      `POST /v1/lots/${lotId}/observations`,
      '/health',
    ];
    const results = await Promise.all(
      requests.map(async (path) => {
        const started = Date.now();
        const res = path.startsWith('POST') ? await post(t, lotId, batch) : await t.app.request(path);
        return { path, res, ms: Date.now() - started };
      }),
    );
    for (const { path, res, ms } of results) {
      await expectUnavailable(res, `${label(fault)}: ${path}`);
      expect(ms, `${label(fault)}: ${path} took ${ms} ms`).toBeLessThan(bound);
    }
    console.info(
      `[sdk-faults ${kind}] ${label(fault)} on every call: ${results.map((r) => `${r.path} ${r.ms} ms`).join(', ')} (bound ${bound - SLACK_MS} ms + slack)`,
    );

    // The same client, the same app: once the store behaves, everything works again.
    faults.clear();
    expect((await t.app.request('/health')).status).toBe(200);
    expect((await t.request(`/v1/lots/${lotId}`)).status).toBe(200);
    await postUntilAccepted(t, lotId, batch);
    await expectExactlyOnce(t, client, tableName, lotId, new Map(batch.map((o) => [o.eventId, o])));
  });

  // Within the budget: fewer failures per call than maxAttempts, and few enough calls failing at
  // once that the SDK's retry quota (500 tokens, 14 per retry after a transient error) holds: a
  // nearby search fans out to ~20 Queries, and two failures each would drain it (then 503).
  const within: { fault: Fault; when: FaultRule['when']; attempts: number; what: string }[] = [
    { fault: { kind: 'throttle' }, when: on.write('lot'), attempts: 2, what: 'the lot write' },
    {
      fault: { kind: 'throttle', code: 'ThrottlingException' },
      when: on.write('lot', 'bay', 'history'),
      attempts: 1,
      what: 'writes',
    },
    { fault: { kind: 'server-error' }, when: on.any, attempts: 1, what: 'every call' },
    { fault: { kind: 'server-error' }, when: on.write('lot', 'bay', 'history'), attempts: 2, what: 'writes' },
    {
      fault: { kind: 'server-error', afterCommit: true },
      when: on.write('lot', 'bay', 'history'),
      attempts: 2,
      what: 'writes',
    },
    { fault: { kind: 'drop-reply', as: 'reset' }, when: on.any, attempts: 1, what: 'every call' },
    {
      fault: { kind: 'drop-reply', as: 'timeout' },
      when: on.write('lot', 'bay', 'history'),
      attempts: 2,
      what: 'writes',
    },
    {
      fault: { kind: 'slow-request', ms: 300 },
      when: on.any,
      attempts: 1,
      what: 'every call (below the timeout)',
    },
    {
      fault: { kind: 'slow-request', ms: 2_000 },
      when: on.write('lot', 'bay', 'history'),
      attempts: 1,
      what: 'writes (past the timeout)',
    },
  ];
  it.each(
    within.map((w) => ({ ...w, name: label(w.fault) })),
  )('(b) $name on the first $attempts attempt(s) of $what: success', async ({ fault, when, attempts }) => {
    const { client, faults, t, clock, lotId } = await open();
    const batch = makeBatch(seededRandom(SEED + lotCount), `${lotId}-w`, clock.now(), 4);
    faults.set({ when: (c) => when(c) && c.attempt <= attempts, fault });
    const res = await post(t, lotId, batch);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { eventId: string }[] };
    expect(body.results.map((r) => r.eventId)).toEqual(batch.map((o) => o.eventId));
    expect((await t.request(`/v1/lots/${lotId}`)).status).toBe(200);
    expect((await t.app.request('/v1/lots/nearby?lat=52.48&lon=-1.9')).status).toBe(200);
    expect((await t.app.request('/health')).status).toBe(200);
    expect(faults.injected.length, 'faults were injected').toBeGreaterThan(0);
    faults.clear();
    await expectExactlyOnce(t, client, tableName, lotId, new Map(batch.map((o) => [o.eventId, o])));
  });

  const writes: WriteKind[] = ['lot', 'bay', 'history'];
  const losses: Fault[] = [
    { kind: 'drop-reply', as: 'reset' },
    { kind: 'drop-reply', as: 'timeout' },
    { kind: 'server-error', afterCommit: true },
  ];
  const cases = writes.flatMap((write) =>
    losses.flatMap((fault) =>
      (['first attempt', 'every attempt'] as const).map((pattern) => ({
        write,
        fault,
        pattern,
        l: label(fault),
      })),
    ),
  );
  it.each(
    cases,
  )('(c) reply of the $write write lost after commit ($l, $pattern); the sensor retries: exactly once', async ({
    write,
    fault,
    pattern,
  }) => {
    const { client, faults, t, clock, lotId } = await open();
    // One of each kind, so each protocol write is one store call (one bay, one history chunk).
    const now = clock.now();
    const batch = protocolBatch(lotId, now, write === 'bay');
    const lost = pattern === 'first attempt' ? 1 : MAX_ATTEMPTS;
    faults.set({ when: on.write(write), fault, times: lost });
    const { statuses, body } = await postUntilAccepted(t, lotId, batch);
    expect(faults.injected.map((f) => f.write)).toEqual(Array(lost).fill(write));
    // One lost reply is absorbed by the SDK's retry; three exhaust it and the sensor retries.
    expect(statuses).toEqual(pattern === 'first attempt' ? [200] : [503, 200]);
    expect(body.results).toEqual(
      batch.map((o) => ({ eventId: o.eventId, outcome: lostReplyOutcome(write, lost === MAX_ATTEMPTS) })),
    );
    const sent = new Map(batch.map((o) => [o.eventId, o]));
    const { occupied } = await expectExactlyOnce(t, client, tableName, lotId, sent);
    expect(occupied).toBe(40 + 5 - 2 + (write === 'bay' ? 1 : 0)); // not doubled

    // The sensor's own timeout fired too, so it sends the batch once more: still once.
    const again = (await (await post(t, lotId, batch)).json()) as { duplicates: number };
    expect(again.duplicates).toBe(batch.length);
    await expectLaterBatchesStillOnce(t, client, tableName, clock, lotId, batch, sent, SEED);
  });

  it('(c) seeded random faults on random calls over many batches, sensors retrying: exactly once', async () => {
    const { client, faults, t, clock, lotId, newLot } = await open(SEED);
    const random = seededRandom(SEED + 1);
    const lots = [lotId, await newLot(), await newLot()];
    const sent = new Map<string, Map<string, Observation>>(lots.map((id) => [id, new Map()]));
    const accepted = new Map<string, Set<string>>(lots.map((id) => [id, new Set()]));
    const taken = new Set<string>();
    const anyWrite = on.write('lot', 'bay', 'history');
    faults.set(
      // Some calls fail on every attempt (the request ends in a 503 and the sensor retries);
      { when: anyWrite, fault: { kind: 'drop-reply', as: 'timeout' }, probability: 0.06, wholeCall: true },
      { when: on.read, fault: { kind: 'server-error' }, probability: 0.02, wholeCall: true },
      // most fail on one attempt or two, and the SDK's retries absorb them.
      { when: anyWrite, fault: { kind: 'drop-reply', as: 'reset' }, probability: 0.1 },
      { when: anyWrite, fault: { kind: 'drop-reply', as: 'timeout' }, probability: 0.1 },
      { when: anyWrite, fault: { kind: 'server-error', afterCommit: true }, probability: 0.06 },
      { when: on.read, fault: { kind: 'server-error' }, probability: 0.05 },
      { when: on.any, fault: { kind: 'throttle' }, probability: 0.01 },
    );
    let unavailable = 0;
    let abandoned = 0;
    const BATCHES = 45;
    for (let b = 0; b < BATCHES; b++) {
      const lot = lots[Math.floor(random() * lots.length)]!;
      const mine = sent.get(lot)!;
      // The first lot has no bays (the fold's fast path), the others have (its replay path).
      const bays = lot === lots[0] ? [] : undefined;
      let batch = makeBatch(random, `${lot}-r${b}`, clock.now(), 1 + Math.floor(random() * 6), bays);
      // Sensors resend reports they are unsure of: one of an earlier batch, same body.
      if (mine.size > 0 && random() < 0.3) {
        const earlier = [...mine.values()];
        batch = [...batch, earlier[Math.floor(random() * earlier.length)]!];
      }
      for (const o of batch) mine.set(o.eventId, o);
      for (let attempt = 1; ; attempt++) {
        const res = await post(t, lot, batch);
        if (res.status === 200) {
          const body = (await res.json()) as IngestBody;
          for (const { eventId, outcome } of body.results) {
            // A report the service accepted before is a duplicate whenever it comes again, and
            // no report is applied (or found stale) twice, whatever was lost on the way.
            if (accepted.get(lot)!.has(eventId)) expect(outcome, `${eventId} again`).toBe('duplicate');
            if (outcome !== 'duplicate') {
              expect(taken.has(eventId), `${eventId} applied twice`).toBe(false);
              taken.add(eventId);
            }
          }
          for (const o of batch) accepted.get(lot)!.add(o.eventId);
          break;
        }
        await expectUnavailable(res, `batch ${b} attempt ${attempt}`);
        unavailable++;
        // Now and then a sensor gives up on a batch: whatever of it was applied must still be
        // completed (repaired) by later writes, never left half-applied.
        if (random() < 0.15) {
          abandoned++;
          break;
        }
        expect(attempt, `batch ${b} never accepted`).toBeLessThan(40);
      }
      clock.advance(2_000);
    }
    // Faults over; time passes beyond the repair delay; each lot gets one more report.
    faults.clear();
    clock.advance(11_000);
    for (const lot of lots) {
      const last = makeBatch(random, `${lot}-final`, clock.now(), 1, lot === lots[0] ? [] : undefined);
      await postUntilAccepted(t, lot, last);
      for (const o of last) {
        sent.get(lot)!.set(o.eventId, o);
        accepted.get(lot)!.add(o.eventId);
      }
    }
    for (const lot of lots)
      await expectExactlyOnce(t, client, tableName, lot, sent.get(lot)!, accepted.get(lot)!);
    const byKind: Record<string, number> = {};
    for (const f of faults.injected) {
      const key = `${f.fault} ${f.write ?? 'read'}`;
      byKind[key] = (byKind[key] ?? 0) + 1;
    }
    console.info(
      `[sdk-faults ${kind}] random run (seed ${SEED}): ${BATCHES} batches, ${unavailable} × 503, ${abandoned} abandoned, faults:`,
      byKind,
    );
    expect(unavailable).toBeGreaterThan(0);
    expect(abandoned).toBeGreaterThan(0);
    for (const w of writes) expect(byKind[`drop-reply ${w}`], `drop-reply on ${w} writes`).toBeGreaterThan(0);
  });
});

describe.runIf(storeKinds().includes('dynalite'))(
  'the production client settings',
  { concurrent: true },
  () => {
    it('bound a request to maxAttempts × requestTimeout + backoff when the store stops answering', async () => {
      const clock = testClock();
      const embedded = await startEmbeddedStore();
      try {
        const tableName = await prepareTable(embedded.endpoint, clock);
        const client = clientFor(embedded.endpoint); // the defaults of shared/store/client.ts
        const faults = injectFaults(client, { seed: SEED });
        const t = appOver(client, tableName, clock);
        expect((await t.request('/v1/lots/p', { method: 'PUT', json: LOT })).status).toBe(201);
        const REQUEST_TIMEOUT_MS = DEFAULT_REQUEST_TIMEOUT_MS;
        const fault: Fault = { kind: 'slow-request', ms: 60_000 };
        faults.set({ when: on.any, fault });
        const bound = boundMs(fault, REQUEST_TIMEOUT_MS);
        const results = await Promise.all(
          ['/v1/lots/p', '/v1/lots/nearby?lat=52.48&lon=-1.9', '/health'].map(async (path) => {
            const started = Date.now();
            const res = await t.app.request(path);
            return { path, res, ms: Date.now() - started };
          }),
        );
        for (const { path, res, ms } of results) {
          await expectUnavailable(res, path);
          expect(ms, path).toBeGreaterThanOrEqual(MAX_ATTEMPTS * REQUEST_TIMEOUT_MS - 50);
          expect(ms, path).toBeLessThan(bound + SLACK_MS);
        }
        console.info(
          `[sdk-faults] production settings, store silent: ${results.map((r) => `${r.path} ${r.ms} ms`).join(', ')} (bound ${bound} ms)`,
        );
        faults.clear();
        expect((await t.app.request('/health')).status).toBe(200);
        expect(t.errors).toEqual([]);
        client.destroy();
      } finally {
        await embedded.close();
      }
    });
  },
);
