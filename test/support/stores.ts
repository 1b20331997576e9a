// The real DynamoDB API servers every store test runs against: dynalite (in memory, in this
// process) and AWS's DynamoDB Local (started once by global-setup). Each suite gets its own
// table, so suites never see each other's data.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import type { AppOptions } from '../../shared/http/app';
import { createApp } from '../../shared/http/app';
import { createDynamoClient } from '../../shared/store/client';
import { startEmbeddedStore } from '../../shared/store/embedded';
import { ensureTable } from '../../shared/store/schema';
import type { Dependencies, FeedFetcherPort } from '../../shared/use-cases/ports';
import { startDdbLocal } from './ddb-local';

export type StoreKind = 'dynalite' | 'dynamodb-local';

/** The stores to run a suite on: both, or dynalite alone where Java is missing (not in CI). */
export function storeKinds(): StoreKind[] {
  return inject('ddbLocalEndpoint') ? ['dynalite', 'dynamodb-local'] : ['dynalite'];
}

export interface TestStore {
  kind: StoreKind;
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/**
 * The tests' store clients wait longer than production's 2 s per attempt: the whole suite shares one
 * DynamoDB Local on a busy 2-core CI machine, where a large batch can take seconds, and a test is
 * about what the service answers, not how fast the store does. The production settings and their
 * bounds are tested on clients of their own (test/hardening/sdk-faults.test.ts, tcp-faults.test.ts).
 */
export const TEST_CLIENT = { requestTimeoutMs: 15_000 } as const;

export async function openStore(kind: StoreKind): Promise<TestStore> {
  const tableName = `t-${randomUUID().slice(0, 8)}`;
  if (kind === 'dynalite') {
    const embedded = await startEmbeddedStore();
    const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint, ...TEST_CLIENT });
    await ensureTable(client, tableName);
    return {
      kind,
      client,
      tableName,
      close: async () => {
        client.destroy();
        await embedded.close();
      },
    };
  }
  const endpoint = inject('ddbLocalEndpoint');
  if (!endpoint) throw new Error('DynamoDB Local is not running');
  const client = createDynamoClient({ region: 'us-east-1', endpoint, ...TEST_CLIENT });
  await ensureTable(client, tableName);
  return { kind, client, tableName, close: async () => client.destroy() };
}

/**
 * A store of `kind` of its own, started now on `port` (for a server that was pointed at the port
 * before anything listened on it). DynamoDB Local gets a JVM of its own: the shared one is already up.
 */
export async function startStoreOn(kind: StoreKind, port: number): Promise<{ close(): Promise<void> }> {
  if (kind === 'dynalite') return await startEmbeddedStore({ port });
  const local = await startDdbLocal(port);
  return { close: () => local.stop() };
}

/** A controllable clock for tests: starts at a fixed instant, moves only when told. */
export function testClock(start = Date.parse('2026-11-23T10:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export const STAFF_SECRET = 'pf_admin.test-staff-secret-0123456789abcdef';

/** The real app over a real store, with a fixed clock and a known staff key. */
export async function openApp(
  kind: StoreKind,
  clock = testClock(),
  options: {
    newId?: () => string;
    city?: AppOptions['city'];
    allowPrivateSources?: boolean;
    feeds?: FeedFetcherPort;
  } = {},
) {
  const store = await openStore(kind);
  const deps: Dependencies = createDependencies({
    client: store.client,
    tableName: store.tableName,
    now: clock.now,
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.allowPrivateSources ? { allowPrivateSources: true } : {}),
    ...(options.feeds ? { feeds: options.feeds } : {}),
  });
  const { DynamoApiKeys } = await import('../../shared/store/api-keys');
  await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, clock.now(), true);
  const errors: unknown[] = [];
  // The suites fail authentication on purpose, many times, under a clock that does not move:
  // failed-auth throttling is tested on its own (test/http/auth-throttle.test.ts).
  const app = createApp(deps, {
    onUnexpectedError: (e) => errors.push(e),
    authThrottle: { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
    ...(options.city ? { city: options.city } : {}),
  });
  const staff = { authorization: `Bearer ${STAFF_SECRET}` };
  const request = async (path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return app.request(path, {
      ...rest,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };
  return { app, deps, store, clock, staff, request, errors, close: () => store.close() };
}
