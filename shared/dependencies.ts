// The composition root: one DynamoDB client → the stores → the use cases' dependencies.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoApiKeys } from './store/api-keys';
import { DynamoLots } from './store/lots';
import { DynamoObservations } from './store/observations';
import { DynamoRollups } from './store/rollups';
import { type Dependencies, type MetricsPort, NO_METRICS } from './use-cases/ports';

export const DEFAULT_HISTORY_RETENTION_DAYS = 400;

export interface DependencyOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => number;
  historyRetentionDays?: number;
  metrics?: MetricsPort;
  /** Id source for the generation of each lot created (default: 96 random bits). */
  newId?: () => string;
}

export function createDependencies(options: DependencyOptions): Dependencies {
  const { client, tableName } = options;
  const lots = new DynamoLots(client, tableName, { newGeneration: options.newId });
  return {
    lots,
    observations: new DynamoObservations(client, tableName, lots),
    keys: new DynamoApiKeys(client, tableName),
    rollups: new DynamoRollups(client, tableName),
    metrics: options.metrics ?? NO_METRICS,
    now: options.now ?? Date.now,
    historyRetentionDays: options.historyRetentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS,
    storeHealthy: async () => {
      try {
        await client.send(new DescribeTableCommand({ TableName: tableName }));
        return true;
      } catch {
        return false;
      }
    },
  };
}
