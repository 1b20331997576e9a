// What the benchmark sections share: spreads over repetitions, a fresh table on each store,
// and bounded concurrent loops.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../shared/store/client';
import { ensureTable } from '../../../shared/store/schema';
import type { SectionOptions, Spread, StoreName } from '../../types';
import { type Helper, startHelper } from './procs';

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** DynamoDB Local first (it counts capacity as AWS does) when the harness started one; then dynalite. */
/** Both stores in a full run; in a quick run (CI, under 3 minutes) one, DynamoDB Local if present. */
export function storesFor(o: SectionOptions): StoreName[] {
  if (!o.ddbLocalEndpoint) return ['dynalite'];
  return o.quick ? ['dynamodb-local'] : ['dynamodb-local', 'dynalite'];
}

export interface BenchStore {
  kind: StoreName;
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/**
 * A fresh table with a unique name: on the harness's DynamoDB Local, or on a new in-memory dynalite
 * in its own process (so the store's work never shares an event loop with the load generator).
 */
export async function openBenchStore(kind: StoreName, o: SectionOptions, label: string): Promise<BenchStore> {
  const tableName = `bench-${label}-${randomUUID().slice(0, 8)}`;
  let endpoint: string;
  let stopHelper = async () => {};
  if (kind === 'dynamodb-local') {
    if (!o.ddbLocalEndpoint) throw new Error('no DynamoDB Local endpoint given');
    endpoint = o.ddbLocalEndpoint;
  } else {
    const helper = await startHelper({ mode: 'store' });
    endpoint = helper.ready.endpoint!;
    stopHelper = helper.stop;
  }
  const client = createDynamoClient({ region: 'us-east-1', endpoint, requestTimeoutMs: 30_000 });
  await ensureTable(client, tableName);
  return {
    kind,
    endpoint,
    client,
    tableName,
    close: async () => {
      client.destroy();
      await stopHelper();
    },
  };
}

/** `workers` loops calling `work` until `seconds` have passed; returns completed calls and elapsed s. */
export async function runFor(
  seconds: number,
  workers: number,
  minCalls: number,
  work: (worker: number, n: number) => Promise<void>,
): Promise<{ calls: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let calls = 0;
  let begun = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      // Until the window is over and at least minCalls were made (a busy machine runs longer).
      for (let n = 0; performance.now() < deadline || begun < minCalls; n++) {
        begun++;
        await work(w, n);
        calls++;
      }
    }),
  );
  return { calls, seconds: (performance.now() - started) / 1000 };
}

/** Runs `work` while a helper starts; if `work` fails, the helper is stopped again. */
export async function alongside(starting: Promise<Helper>, work: () => Promise<unknown>): Promise<Helper> {
  try {
    await work();
  } catch (error) {
    await (await starting.catch(() => null))?.stop();
    throw error;
  }
  return await starting;
}
