// The one batch helper every store adapter writes and reads through: items the store leaves
// unprocessed are sent again until none is left, and a store that never takes them ends in
// StoreUnavailableError after MAX_BATCH_ATTEMPTS requests, not in a loop or a silent loss.
// The store is real; middleware on the client's own stack hands it only part of each batch and
// reports the rest unprocessed, as DynamoDB does under throttling.
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BATCH_POLICY,
  type BatchPolicy,
  batchGet,
  batchWrite,
  jitteredBackoffMs,
  MAX_BATCH_ATTEMPTS,
} from '../../shared/store/batch';
import { StoreUnavailableError } from '../../shared/use-cases/errors';
import { openStore, storeKinds, type TestStore } from '../support/stores';

type Mode = 'pass' | 'half' | 'none';

/** Lets the store process all, the first half, or none of each batch; counts the requests. */
function partialBatches(client: DynamoDBClient, tableName: string) {
  const state = { mode: 'pass' as Mode, writes: 0, gets: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        RequestItems: Record<string, WriteRequest[] | { Keys: Record<string, AttributeValue>[] }>;
      };
      const name = context.commandName;
      if (name !== 'BatchWriteItemCommand' && name !== 'BatchGetItemCommand') return next(args);
      if (name === 'BatchWriteItemCommand') state.writes++;
      else state.gets++;
      if (state.mode === 'pass') return next(args);
      const requested = input.RequestItems[tableName]!;
      const all = Array.isArray(requested) ? requested : requested.Keys;
      const taken = state.mode === 'half' ? all.slice(0, Math.ceil(all.length / 2)) : [];
      const left = all.slice(taken.length);
      if (name === 'BatchWriteItemCommand') {
        const result =
          taken.length > 0
            ? await next({ ...args, input: { RequestItems: { [tableName]: taken } } })
            : { output: { $metadata: {} }, response: {} };
        return { ...result, output: { ...result.output, UnprocessedItems: { [tableName]: left } } };
      }
      const keysAndAttributes = requested as { Keys: Record<string, AttributeValue>[] };
      const result =
        taken.length > 0
          ? await next({
              ...args,
              input: { RequestItems: { [tableName]: { ...keysAndAttributes, Keys: taken } } },
            })
          : { output: { $metadata: {}, Responses: { [tableName]: [] } }, response: {} };
      return {
        ...result,
        output: {
          ...result.output,
          UnprocessedKeys: left.length ? { [tableName]: { ...keysAndAttributes, Keys: left } } : {},
        },
      };
    },
    { step: 'initialize', name: 'partialBatches' },
  );
  return state;
}

/** The house attempts, without the waits (the waits are checked on their own below). */
const NO_WAIT: BatchPolicy = { maxAttempts: MAX_BATCH_ATTEMPTS, backoffMs: () => 0 };

const item = (i: number) => marshall({ pk: `BATCHTEST#${i % 7}`, sk: `item-${i}`, n: i });
const key = (i: number) => marshall({ pk: `BATCHTEST#${i % 7}`, sk: `item-${i}` });

describe.each(storeKinds())('batch reads and writes on %s', (kind) => {
  let store: TestStore;
  let calls: ReturnType<typeof partialBatches>;
  beforeAll(async () => {
    store = await openStore(kind);
    calls = partialBatches(store.client, store.tableName);
  });
  afterAll(() => store.close());

  it('writes every item, once, when the store takes only half of each batch', async () => {
    calls.mode = 'half';
    calls.writes = 0;
    const requests = Array.from({ length: 60 }, (_, i) => ({ PutRequest: { Item: item(i) } }));
    await batchWrite(store.client, store.tableName, requests, 'test write', NO_WAIT);
    // 60 items are 3 chunks (25, 25, 10); halving each until empty takes 5 + 5 + 4 requests.
    expect(calls.writes).toBe(14);
    calls.mode = 'pass';
    const found = await batchGet(
      store.client,
      store.tableName,
      Array.from({ length: 60 }, (_, i) => key(i)),
      'x',
    );
    expect(found.map((f) => unmarshall(f).n as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
  });

  it('reads every key, with only the attributes asked for, when the store answers half of each batch', async () => {
    calls.mode = 'half';
    calls.gets = 0;
    const keys = Array.from({ length: 130 }, (_, i) => key(i % 60));
    const unique = [...new Map(keys.map((k) => [JSON.stringify(k), k])).values()];
    const found = await batchGet(store.client, store.tableName, unique, 'test read', {
      attributes: ['n'],
      policy: NO_WAIT,
    });
    expect(calls.gets).toBeGreaterThan(1);
    expect(found).toHaveLength(60);
    expect(found.every((f) => Object.keys(f).join() === 'n')).toBe(true);
  });

  it('gives up with StoreUnavailableError after MAX_BATCH_ATTEMPTS requests when nothing is ever taken', async () => {
    calls.mode = 'none';
    calls.writes = 0;
    calls.gets = 0;
    const write = batchWrite(
      store.client,
      store.tableName,
      [{ PutRequest: { Item: item(999) } }],
      'w',
      NO_WAIT,
    );
    await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls.writes).toBe(MAX_BATCH_ATTEMPTS);
    const read = batchGet(store.client, store.tableName, [key(1)], 'r', { policy: NO_WAIT });
    await expect(read).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls.gets).toBe(MAX_BATCH_ATTEMPTS);
    calls.mode = 'pass';
    expect(await batchGet(store.client, store.tableName, [key(999)], 'r')).toEqual([]);
  });
});

describe('the batch backoff', () => {
  it('waits 50–100 % of 40 ms doubling to a 1 s cap, and at most 3.24 s before giving up', () => {
    let total = 0;
    for (let attempt = 1; attempt < 40; attempt++) {
      const full = Math.min(1000, 20 * 2 ** attempt);
      expect(jitteredBackoffMs(attempt, () => 0)).toBe(full / 2);
      const most = jitteredBackoffMs(attempt, () => 0.999999);
      expect(most).toBeLessThanOrEqual(full);
      expect(most).toBeGreaterThan(full * 0.999);
      if (attempt < BATCH_POLICY.maxAttempts) total += jitteredBackoffMs(attempt, () => 1);
    }
    expect(total).toBeLessThanOrEqual(3240);
  });
});
