// Batch reads and writes with one retry policy. DynamoDB may answer a batch with some of it left
// undone (UnprocessedItems / UnprocessedKeys, typically under throttling): those are sent again
// after a jittered exponential backoff, never dropped, and a batch still unfinished after
// MAX_BATCH_ATTEMPTS requests fails with StoreUnavailableError (a 503 with Retry-After, README
// "Limits"). Every caller's work is idempotent (puts of deterministic content, deletes, reads),
// so a retried request that had in fact been applied changes nothing.
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '../use-cases/errors';
import { translated } from './errors';

/** DynamoDB's own limits per request. */
export const BATCH_WRITE_ITEMS = 25;
export const BATCH_GET_KEYS = 100;

/**
 * Requests per chunk, retries included. With the backoff below the waits add up to at most
 * 3.24 s (at least half that) before giving up, which keeps an API request well inside its 15 s
 * function timeout even with the SDK's own retries of each request.
 */
export const MAX_BATCH_ATTEMPTS = 8;

export interface BatchPolicy {
  maxAttempts: number;
  /** Wait before retry `attempt` (1, 2, …) of the unprocessed rest. */
  backoffMs: (attempt: number) => number;
}

/** 40 ms, doubling, capped at 1 s; jittered to 50–100 % so writers throttled together spread out. */
export const jitteredBackoffMs = (attempt: number, random: () => number = Math.random) =>
  Math.min(1000, 20 * 2 ** attempt) * (0.5 + random() / 2);

export const BATCH_POLICY: BatchPolicy = { maxAttempts: MAX_BATCH_ATTEMPTS, backoffMs: jitteredBackoffMs };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one chunk until nothing is left unprocessed, within the policy's attempts. */
async function untilProcessed<T>(
  what: string,
  first: T[],
  send: (pending: T[]) => Promise<T[]>,
  policy: BatchPolicy,
): Promise<void> {
  let pending = first;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= policy.maxAttempts) throw new StoreUnavailableError(`${what} kept being throttled`);
    if (attempt > 0) await sleep(policy.backoffMs(attempt));
    pending = await send(pending);
  }
}

/** Writes every request (puts and deletes), 25 a request, one chunk after another. */
export async function batchWrite(
  client: DynamoDBClient,
  tableName: string,
  requests: readonly WriteRequest[],
  what: string,
  policy: BatchPolicy = BATCH_POLICY,
): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_ITEMS) {
    await untilProcessed(
      what,
      requests.slice(i, i + BATCH_WRITE_ITEMS),
      async (chunk) => {
        const result = await translated(what, () =>
          client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: chunk } })),
        );
        return result.UnprocessedItems?.[tableName] ?? [];
      },
      policy,
    );
  }
}

export interface BatchGetOptions {
  /** Only these attributes (projection), when given. */
  attributes?: readonly string[];
  policy?: BatchPolicy;
  /** Strongly consistent (the default) or eventually consistent reads, which cost half. */
  consistent?: boolean;
  /** Adds up the read units DynamoDB reports. */
  stats?: { readUnits: number };
}

/** Reads of every key (strongly consistent unless told), 100 a request; the items found, in no particular order. */
export async function batchGet(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Record<string, AttributeValue>[],
  what: string,
  options: BatchGetOptions = {},
): Promise<Record<string, AttributeValue>[]> {
  const found: Record<string, AttributeValue>[] = [];
  const projection =
    options.attributes === undefined
      ? {}
      : {
          ProjectionExpression: options.attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(options.attributes.map((a, i) => [`#a${i}`, a])),
        };
  for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) {
    await untilProcessed(
      what,
      keys.slice(i, i + BATCH_GET_KEYS),
      async (chunk) => {
        const result = await translated(what, () =>
          client.send(
            new BatchGetItemCommand({
              RequestItems: {
                [tableName]: { Keys: chunk, ConsistentRead: options.consistent ?? true, ...projection },
              },
              ...(options.stats ? { ReturnConsumedCapacity: 'TOTAL' } : {}),
            }),
          ),
        );
        if (options.stats)
          for (const c of result.ConsumedCapacity ?? []) options.stats.readUnits += c.CapacityUnits ?? 0;
        found.push(...(result.Responses?.[tableName] ?? []));
        return result.UnprocessedKeys?.[tableName]?.Keys ?? [];
      },
      options.policy ?? BATCH_POLICY,
    );
  }
  return found;
}
