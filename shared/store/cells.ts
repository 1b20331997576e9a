// The directory of non-empty cells: one small item per geo-index partition (geohash-5, or PN /
// PS) that holds a lot, sorted by the partition key, which is Z-ordered. A circle that meets
// hundreds of partitions (a 50 km one meets ~600 at lat 52, ~3,200 at lat 84) learns which of them
// hold anything from a few Queries over merged Z-ranges, and queries only those (README "Nearby
// query").
//
// Invariant: every partition that holds a lot has its item here. Extra items are allowed (an empty
// partition listed costs one Query of it). Kept without transactions (dynalite has none):
//  - a writer touches the partition's item BEFORE the lot write that brings a lot into it (a
//    create, or a move to another partition); the write path never removes an item;
//  - prune() deletes an item only if it was untouched for an hour, its partition shows no lot in
//    the geo index, and no touch came in between (the delete is conditional on the touch count);
//  - a table that held lots before the directory existed has no state item, or one that says
//    `filling`: searches then read every partition of their cover (slower, never wrong) until
//    fill() has listed every lot's partition in two passes and marked the directory complete.
// Directory reads are strongly consistent, so a lot written before a search began is found: its
// partition's item was written before it.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type KeyRange, partitionKeyRanges } from '../geo';
import { mapLimit } from '../lib/concurrency';
import type { DirectoryStats } from '../use-cases/ports';
import { translated } from './errors';
import { CELLS_PARTITION, cellDirectoryStateKey, cellKey } from './keys';
import { queryPages } from './query';

/** Second fill pass at least this long after the first: longer than any request of an earlier version runs. */
export const FILL_PASS_GAP_MS = 60_000;
/** prune() leaves an item touched more recently than this alone (far longer than index lag or a write's retries). */
export const PRUNE_AFTER_MS = 3_600_000;
/** prune() checks 1/PRUNE_SLOTS of the cells per run, so a 5-minute job checks each about hourly. */
export const PRUNE_SLOTS = 12;
const PRUNE_SLOT_MS = 5 * 60_000;
/** First key of any partition ('0' < 'P' < 'b'); the state item sorts before it. */
const FIRST_PARTITION_KEY = '0';

export type DirectoryState = 'complete' | 'filling' | 'absent';

export class DynamoCells {
  /** Once complete, always complete: the state item is never removed. */
  private knownComplete = false;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private key(key: { pk: string; sk: string }) {
    return { pk: { S: key.pk }, sk: { S: key.sk } };
  }

  /** Lists `partition` (idempotent). Call before writing a lot into it. */
  async touch(partition: string, at: number): Promise<void> {
    await translated('touch cell', () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(cellKey(partition)),
          // The count changes on every touch, so prune()'s conditional delete loses to any touch.
          UpdateExpression: 'SET #touchedAt = :at ADD #touches :one',
          ExpressionAttributeNames: { '#touchedAt': 'touchedAt', '#touches': 'touches' },
          ExpressionAttributeValues: { ':at': { N: String(at) }, ':one': { N: '1' } },
        }),
      ),
    );
  }

  async state(consistent = false): Promise<{ state: DirectoryState; passAt: number | null }> {
    const { Item } = await translated('cell directory state', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: this.key(cellDirectoryStateKey),
          ConsistentRead: consistent,
        }),
      ),
    );
    const state = Item?.state?.S;
    if (state === 'complete') this.knownComplete = true;
    return {
      state: state === 'complete' || state === 'filling' ? state : 'absent',
      passAt: Item?.passAt?.N === undefined ? null : Number(Item.passAt.N),
    };
  }

  /** Whether searches may trust the directory (cached once it is; a read counts in `stats`). */
  async isComplete(stats?: { requests: number }): Promise<boolean> {
    if (this.knownComplete) return true;
    if (stats) stats.requests++;
    return (await this.state()).state === 'complete';
  }

  /** For a table created empty by this version: nothing to fill. */
  async markComplete(): Promise<void> {
    await translated('cell directory state', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...this.key(cellDirectoryStateKey), state: { S: 'complete' } },
        }),
      ),
    );
    this.knownComplete = true;
  }

  /** The partitions among `partitions` that the directory lists, in a few strongly consistent Queries. */
  async nonEmpty(
    partitions: readonly string[],
    stats: DirectoryStats,
    schedule: <T, R>(items: readonly T[], fn: (item: T) => Promise<R>) => Promise<R[]>,
  ): Promise<Set<string>> {
    const wanted = new Set(partitions);
    const found = new Set<string>();
    await schedule(partitionKeyRanges(partitions), async (range) => {
      for await (const page of this.cellPages(range)) {
        stats.requests++;
        stats.directoryRequests++;
        stats.readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
        for (const item of page.Items ?? []) {
          stats.cellsRead++;
          const partition = item.sk?.S ?? '';
          // A range may hold partitions that were not asked for (bridged gaps): keep only the asked.
          if (wanted.has(partition)) found.add(partition);
        }
      }
    });
    return found;
  }

  private cellPages(range: KeyRange, attributes: string[] = []) {
    return queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :cells AND #sk BETWEEN :lo AND :hi',
        ExpressionAttributeNames: {
          '#pk': 'pk',
          '#sk': 'sk',
          ...Object.fromEntries(attributes.map((a) => [`#${a}`, a])),
        },
        ExpressionAttributeValues: {
          ':cells': { S: CELLS_PARTITION },
          ':lo': { S: range.lo },
          ':hi': { S: range.hi },
        },
        ProjectionExpression: ['#sk', ...attributes.map((a) => `#${a}`)].join(', '),
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      },
      'cell directory',
    );
  }

  /**
   * One step of filling the directory of a table that held lots before it existed: a pass lists
   * the partition of every lot (`partitionsOfLots`, from the catalog). The first pass marks the
   * directory `filling`; a second pass at least FILL_PASS_GAP_MS later marks it complete, so a lot
   * that an earlier version of the service wrote (without touching its cell) while the first pass
   * ran is listed too. Safe to run at any time and concurrently: touches are idempotent.
   */
  async fill(
    now: () => number,
    partitionsOfLots: () => AsyncIterable<readonly string[]>,
  ): Promise<DirectoryState> {
    const { state, passAt } = await this.state(true);
    if (state === 'complete') return 'complete';
    if (state === 'filling' && passAt !== null && now() - passAt < FILL_PASS_GAP_MS) return 'filling';
    const startedAt = now();
    const touched = new Set<string>();
    for await (const partitions of partitionsOfLots()) {
      const fresh = [...new Set(partitions)].filter((p) => !touched.has(p));
      await mapLimit(fresh, 8, (p) => this.touch(p, startedAt));
      for (const p of fresh) touched.add(p);
    }
    const next = state === 'filling' ? 'complete' : 'filling';
    try {
      await translated('cell directory state', () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...this.key(cellDirectoryStateKey),
              state: { S: next },
              passAt: { N: String(startedAt) },
            },
            // A concurrent fill that completed meanwhile is not undone.
            ConditionExpression: 'attribute_not_exists(#state) OR #state <> :complete',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':complete': { S: 'complete' } },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.state(true)).state;
    }
    if (next === 'complete') this.knownComplete = true;
    return next;
  }

  /**
   * Removes cells that hold no lot any more, checking 1/PRUNE_SLOTS of them per call (all of them
   * with `slots: 1`). Race-free against a lot being written meanwhile: an item touched within the
   * hour is left alone (a lot written that recently may not be in the eventually consistent index
   * yet), and the delete happens only if the touch count is still the one read, so a writer that
   * touches the cell after the check keeps it (and one that touches it after the delete re-creates
   * it before writing its lot).
   */
  async prune(
    now: number,
    holdsLot: (partition: string) => Promise<boolean>,
    options: { slots?: number } = {},
  ): Promise<{ checked: number; pruned: number }> {
    const slots = options.slots ?? PRUNE_SLOTS;
    const slot = Math.floor(now / PRUNE_SLOT_MS) % slots;
    const candidates: Array<{ partition: string; touches: string }> = [];
    for await (const page of this.cellPages({ lo: FIRST_PARTITION_KEY, hi: '~' }, ['touchedAt', 'touches'])) {
      for (const item of page.Items ?? []) {
        const partition = item.sk?.S ?? '';
        const touchedAt = Number(item.touchedAt?.N ?? 0);
        if (now - touchedAt < PRUNE_AFTER_MS || slotOf(partition, slots) !== slot) continue;
        candidates.push({ partition, touches: item.touches?.N ?? '0' });
      }
    }
    let pruned = 0;
    await mapLimit(candidates, 8, async ({ partition, touches }) => {
      if (await holdsLot(partition)) return;
      try {
        await translated('prune cell', () =>
          this.client.send(
            new DeleteItemCommand({
              TableName: this.tableName,
              Key: this.key(cellKey(partition)),
              ConditionExpression: '#touches = :seen',
              ExpressionAttributeNames: { '#touches': 'touches' },
              ExpressionAttributeValues: { ':seen': { N: touches } },
            }),
          ),
        );
        pruned++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
    return { checked: candidates.length, pruned };
  }
}

/** A partition's prune slot: a fixed hash of its key. */
function slotOf(partition: string, slots: number): number {
  let h = 0;
  for (let i = 0; i < partition.length; i++) h = (h * 31 + partition.charCodeAt(i)) % 1_000_003;
  return h % slots;
}
