// The one table definition. Local mode and tests create the table from `createTableInput`;
// the CDK stack (infra/) builds its TableV2 from the same constants, so they cannot drift.
// This file imports only SDK *types*, so infra/ can use it without pulling the SDK in.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export type KeyType = 'S' | 'N';
export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/**
 * Every kind of item in the one table, with its key shape: the README's "Table design" table lists
 * exactly these (test/unit/store/table-design.test.ts checks it, and that ./keys builds these
 * keys). <scope> is the lot id and its generation (`dataScope`, shared/domain/lot-incarnation.ts).
 */
export const ITEM_KINDS = [
  { item: 'lot', pk: 'LOT#<id>', sk: 'LOT' },
  { item: 'observation', pk: 'OBS#<scope>', sk: 'E#<eventId>' },
  { item: 'bay', pk: 'BAY#<scope>', sk: '<spaceId>' },
  { item: 'rollup', pk: 'ROLL#<scope>', sk: 'YYYY-MM-DD' },
  { item: 'zone rollup', pk: 'ZROLL#<zone>', sk: 'YYYY-MM-DD' },
  { item: 'forecast model', pk: 'FCST#<id>', sk: 'MODEL' },
  { item: 'retired', pk: 'RETIRED', sk: '<scope>' },
  { item: 'key', pk: 'KEY', sk: '<keyId>' },
  { item: 'cell', pk: 'CELLS', sk: '<geohash-5> or PN/PS' },
  { item: 'cell state', pk: 'CELLS', sk: '#directory' },
  { item: 'source', pk: 'SOURCE', sk: '<sourceId>' },
  { item: 'integration', pk: 'INTEGRATION', sk: '<integrationId>' },
  { item: 'device', pk: 'DEVICE#<integrationId>#<generation>', sk: '<deviceId>' },
  { item: 'cluster', pk: 'CLUSTER#<build>#<precision>', sk: '<geohash-precision>' },
  { item: 'cluster positions', pk: 'CLUSTERPTS#<build>', sk: '<geohash-5>#<part>' },
  { item: 'cluster state', pk: 'CLUSTERS', sk: '#build' },
] as const;

export const TABLE = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const satisfies { partitionKey: KeyAttribute; sortKey: KeyAttribute; timeToLiveAttribute: string };

/**
 * Nearby queries read this index only. Partition = geographic cell (geohash-5, ~5 km, see
 * shared/geo), sort = geohash-10 + id, so one Query per contiguous run of fine cells.
 * It projects only what ranking and the driver response need: ingestion bookkeeping on
 * the lot item (pending events, version) is not copied into the index.
 */
export const GEO_INDEX = {
  indexName: 'geo',
  partitionKey: { name: 'gpk', type: 'S' },
  sortKey: { name: 'gsk', type: 'S' },
  projection: 'INCLUDE',
  nonKeyAttributes: [
    'id',
    'name',
    'lat',
    'lon',
    'capacity',
    'lotType',
    'features',
    'zone',
    'timeZone',
    'staleAfterSeconds',
    'openingHours',
    'closed',
    'occupied',
    'lastAt',
    'updatedAt',
  ],
} as const;

/**
 * Every lot, keys only, for staff listings (health, zones, import) without a Scan of a
 * table that is mostly history. Written only when a lot is created, rezoned or deleted.
 */
export const CATALOG_INDEX = {
  indexName: 'catalog',
  partitionKey: { name: 'cpk', type: 'S' },
  sortKey: { name: 'csk', type: 'S' },
  projection: 'KEYS_ONLY',
} as const;

/** History of one lot in observation-time order (strongly consistent, unlike a GSI). */
export const HISTORY_INDEX = {
  indexName: 'byTime',
  sortKey: { name: 'hsk', type: 'S' },
  projection: 'ALL',
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const keys: KeyAttribute[] = [TABLE.partitionKey, TABLE.sortKey, GEO_INDEX.partitionKey, GEO_INDEX.sortKey];
  keys.push(CATALOG_INDEX.partitionKey, CATALOG_INDEX.sortKey, HISTORY_INDEX.sortKey);
  const attributes = keys.map((a) => ({ AttributeName: a.name, AttributeType: a.type }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes,
    KeySchema: [
      { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GEO_INDEX.indexName,
        KeySchema: [
          { AttributeName: GEO_INDEX.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: GEO_INDEX.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: GEO_INDEX.projection,
          NonKeyAttributes: [...GEO_INDEX.nonKeyAttributes],
        },
      },
      {
        IndexName: CATALOG_INDEX.indexName,
        KeySchema: [
          { AttributeName: CATALOG_INDEX.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: CATALOG_INDEX.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: CATALOG_INDEX.projection },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: HISTORY_INDEX.indexName,
        KeySchema: [
          { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: HISTORY_INDEX.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: HISTORY_INDEX.projection },
      },
    ],
  };
}
