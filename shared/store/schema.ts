import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoCells } from './cells';
import { createTableInput, TABLE } from './table-design';

/**
 * Creates the table if it does not exist yet and waits until it is ACTIVE. Used by local
 * mode and tests; on AWS the CDK stack owns the table and this is never called.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> {
  let outcome: 'created' | 'existed' = 'existed';
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      outcome = 'created';
    } catch (createError) {
      // Two processes starting at once: the other one won, which is fine.
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (outcome === 'created') {
    await enableTimeToLive(client, tableName);
    // A new table holds no lot, so its (empty) directory of non-empty cells is complete.
    await new DynamoCells(client, tableName).markComplete();
  }
  return outcome;
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite does not implement TTL; expired history then simply stays (local mode only).
    if ((error as { name?: string }).name !== 'UnknownOperationException') throw error;
  }
}
