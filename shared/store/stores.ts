// The DynamoDB adapters of every port, built on one client, plus the store's health probe. The
// composition root (shared/dependencies.ts) calls this and never touches the SDK itself.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Dependencies } from '../use-cases/ports';
import { DynamoApiKeys } from './api-keys';
import { DynamoForecastModels } from './forecasts';
import { DynamoIntegrations } from './integrations';
import { CachedKeys, type KeyCacheOptions } from './key-cache';
import { DynamoLots } from './lots';
import { DynamoObservations } from './observations';
import { DynamoRollups } from './rollups';
import { DynamoSources } from './sources';

export interface StoreOptions {
  /** Id source for the generation of each lot created (default: 96 random bits). */
  newId?: () => string;
  /** The API-key cache in front of key lookups (README "Keys and authentication"); none if unset. */
  keyCache?: KeyCacheOptions;
}

export type Stores = Pick<
  Dependencies,
  'lots' | 'observations' | 'keys' | 'integrations' | 'sources' | 'rollups' | 'forecasts' | 'storeHealthy'
>;

export function createStores(client: DynamoDBClient, tableName: string, options: StoreOptions = {}): Stores {
  const lots = new DynamoLots(client, tableName, { newGeneration: options.newId });
  return {
    lots,
    observations: new DynamoObservations(client, tableName, lots),
    keys: options.keyCache
      ? new CachedKeys(new DynamoApiKeys(client, tableName), options.keyCache)
      : new DynamoApiKeys(client, tableName),
    integrations: new DynamoIntegrations(client, tableName, options.newId),
    sources: new DynamoSources(client, tableName),
    rollups: new DynamoRollups(client, tableName),
    forecasts: new DynamoForecastModels(client, tableName),
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
