// Counts what a DynamoDB client does: requests per command, items read, and the capacity units the
// store reports. Installed as client middleware, so the project's code runs unchanged; it asks every
// data-plane call for ReturnConsumedCapacity INDEXES (DynamoDB Local then reports index writes as AWS
// does; dynalite reports the table's share only).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface MeterCounts {
  requests: number;
  byCommand: Record<string, number>;
  /** Items the store examined: ScannedCount of Query/Scan, 1 per GetItem hit, BatchGetItem responses. */
  itemsRead: number;
  readUnits: number;
  /** All write capacity units, index writes included (where the store reports them). */
  writeUnits: number;
  /** Of writeUnits, the index (GSI/LSI) share. */
  indexWriteUnits: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

export function emptyCounts(): MeterCounts {
  return { requests: 0, byCommand: {}, itemsRead: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0 };
}

interface Units {
  CapacityUnits?: number;
}
interface Consumed extends Units {
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

export interface Meter {
  counts: MeterCounts;
  /** The counts so far, and start again from zero. */
  take(): MeterCounts;
}

export function meterClient(client: DynamoDBClient): Meter {
  const meter: Meter = {
    counts: emptyCounts(),
    take() {
      const taken = meter.counts;
      meter.counts = emptyCounts();
      return taken;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName ?? 'unknown';
      const metered = WRITES.has(command) || READS.has(command);
      if (metered) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const c = meter.counts;
      c.requests++;
      c.byCommand[command] = (c.byCommand[command] ?? 0) + 1;
      if (!metered) return result;
      const out = result.output as {
        ScannedCount?: number;
        Count?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
        ConsumedCapacity?: Consumed | Consumed[];
      };
      if (command === 'QueryCommand' || command === 'ScanCommand')
        c.itemsRead += out.ScannedCount ?? out.Count ?? 0;
      else if (command === 'GetItemCommand') c.itemsRead += out.Item ? 1 : 0;
      else if (command === 'BatchGetItemCommand') {
        for (const items of Object.values(out.Responses ?? {})) c.itemsRead += items.length;
      }
      const consumed = out.ConsumedCapacity;
      for (const cc of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        const total = cc.CapacityUnits ?? 0;
        if (WRITES.has(command)) {
          c.writeUnits += total;
          for (const index of [
            ...Object.values(cc.GlobalSecondaryIndexes ?? {}),
            ...Object.values(cc.LocalSecondaryIndexes ?? {}),
          ]) {
            c.indexWriteUnits += index.CapacityUnits ?? 0;
          }
        } else c.readUnits += total;
      }
      return result;
    },
    { step: 'initialize', name: 'benchMeter', override: true },
  );
  return meter;
}
