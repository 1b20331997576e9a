// Deleted lots' leftovers. A lot's bays and rollups live under its data scope (keys.ts), which no
// later lot can reach, so correctness never depends on removing them; this only reclaims space.
// DELETE records a marker before it removes the lot item, so every retired scope is listed here;
// a bounded purge (the scheduled job, the local server's timer) removes a scope's bay and rollup
// items page by page and then its marker. History needs no purge: it expires by TTL.
import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dataScope, type LotIncarnation } from '../domain/lot-incarnation';
import { batchWrite } from './batch';
import { translated } from './errors';
import { bayPk, RETIRED_PARTITION, rollupPk } from './keys';

export interface RetiredScope extends LotIncarnation {
  scope: string;
  /** Epoch ms when DELETE began. */
  retiredAt: number;
}

export class DynamoRetiredLots {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Records that this incarnation is being deleted (idempotent: a repeated DELETE rewrites it). */
  async mark(lot: LotIncarnation, now: number): Promise<void> {
    const scope = dataScope(lot);
    await translated('mark retired lot', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({
            pk: RETIRED_PARTITION,
            sk: scope,
            id: lot.id,
            generation: lot.generation,
            retiredAt: now,
          }),
        }),
      ),
    );
  }

  /** Up to `limit` retired scopes, oldest scope key first. */
  async list(limit: number): Promise<RetiredScope[]> {
    const page = await translated('list retired lots', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: RETIRED_PARTITION } },
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return (page.Items ?? []).map((item) => {
      const raw = unmarshall(item) as { sk: string; id: string; generation: string; retiredAt: number };
      return { scope: raw.sk, id: raw.id, generation: raw.generation, retiredAt: raw.retiredAt };
    });
  }

  /**
   * Deletes at most `budget` of the scope's bay and rollup items. `done` = none are left, so the
   * marker can go.
   */
  async purge(scope: string, budget: number): Promise<{ deleted: number; done: boolean }> {
    let deleted = 0;
    for (const pk of [bayPk(scope), rollupPk(scope)]) {
      for (;;) {
        const room = budget - deleted;
        if (room <= 0) return { deleted, done: false };
        const page = await translated('list retired items', () =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
              ExpressionAttributeValues: { ':pk': { S: pk } },
              ProjectionExpression: '#pk, #sk',
              Limit: Math.min(100, room),
              ConsistentRead: true,
            }),
          ),
        );
        const keys = page.Items ?? [];
        await this.deleteAll(keys.map((Key) => ({ DeleteRequest: { Key } })));
        deleted += keys.length;
        if (page.LastEvaluatedKey === undefined) break;
      }
    }
    return { deleted, done: true };
  }

  async unmark(scope: string): Promise<void> {
    await translated('unmark retired lot', () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall({ pk: RETIRED_PARTITION, sk: scope }),
        }),
      ),
    );
  }

  private deleteAll(requests: WriteRequest[]) {
    return batchWrite(this.client, this.tableName, requests, 'purge retired items');
  }
}
