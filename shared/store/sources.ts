// Feed sources (README "Feeds a city already has"): one item each under `SOURCE`, its definition
// and the status of its last fetch, so a listing is one Query and the scheduled job reads them all
// at once. A fetch records its status only while the source exists, so a fetch that finishes after
// a DELETE does not bring the source back.
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Source, SourceDefinition, SourceStatus, SourcesPort } from '../use-cases/ports';
import { translated, whenItemExists } from './errors';
import { SOURCE_PARTITION, sourceKey } from './keys';
import { queryPages } from './query';

const EMPTY_STATUS: SourceStatus = { lastFetchAt: null, lastError: null, sites: 0, applied: 0 };
const DEFINITION_FIELDS = [
  'sourceId',
  'format',
  'url',
  'intervalSeconds',
  'lotIdPrefix',
  'zone',
  'timeZone',
] as const;

export class DynamoSources implements SourcesPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(definition: SourceDefinition): Promise<{ source: Source; created: boolean }> {
    const names: Record<string, string> = { '#headers': 'headers' };
    const values: Record<string, unknown> = {};
    const sets = DEFINITION_FIELDS.map((field) => {
      names[`#${field}`] = field;
      values[`:${field}`] = definition[field];
      return `#${field} = :${field}`;
    });
    // A new source starts with an empty status; a changed one keeps the status of its last fetch.
    for (const field of Object.keys(EMPTY_STATUS) as (keyof SourceStatus)[]) {
      names[`#${field}`] = field;
      values[`:${field}`] = EMPTY_STATUS[field];
      sets.push(`#${field} = if_not_exists(#${field}, :${field})`);
    }
    if (definition.headers !== undefined) {
      values[':headers'] = definition.headers;
      sets.push('#headers = :headers');
    }
    const { Attributes } = await translated('put source', () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(sourceKey(definition.sourceId)),
          UpdateExpression: `SET ${sets.join(', ')}${definition.headers === undefined ? ' REMOVE #headers' : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    const before = Attributes ? toSource(unmarshall(Attributes)) : null;
    const status: SourceStatus = before
      ? {
          lastFetchAt: before.lastFetchAt,
          lastError: before.lastError,
          sites: before.sites,
          applied: before.applied,
        }
      : EMPTY_STATUS;
    return { source: { ...definition, ...status }, created: before === null };
  }

  async get(sourceId: string): Promise<Source | null> {
    const { Item } = await translated('get source', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(sourceKey(sourceId)),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? toSource(unmarshall(Item)) : null;
  }

  async list(): Promise<Source[]> {
    const sources: Source[] = [];
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': { S: SOURCE_PARTITION } },
        ConsistentRead: true,
      },
      'list sources',
    )) {
      for (const item of page.Items ?? []) sources.push(toSource(unmarshall(item)));
    }
    return sources;
  }

  async delete(sourceId: string): Promise<boolean> {
    return whenItemExists('delete source', () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(sourceKey(sourceId)),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
        }),
      ),
    );
  }

  async recordFetch(sourceId: string, status: SourceStatus): Promise<boolean> {
    return whenItemExists('record source fetch', () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(sourceKey(sourceId)),
          UpdateExpression:
            'SET #lastFetchAt = :lastFetchAt, #lastError = :lastError, #sites = :sites, #applied = :applied',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: {
            '#pk': 'pk',
            '#lastFetchAt': 'lastFetchAt',
            '#lastError': 'lastError',
            '#sites': 'sites',
            '#applied': 'applied',
          },
          ExpressionAttributeValues: marshall({
            ':lastFetchAt': status.lastFetchAt,
            ':lastError': status.lastError,
            ':sites': status.sites,
            ':applied': status.applied,
          }),
        }),
      ),
    );
  }
}

function toSource(item: Record<string, unknown>): Source {
  const s = item as unknown as Source;
  return {
    sourceId: s.sourceId,
    format: s.format,
    url: s.url,
    intervalSeconds: s.intervalSeconds,
    lotIdPrefix: s.lotIdPrefix,
    zone: s.zone,
    timeZone: s.timeZone,
    ...(s.headers !== undefined ? { headers: s.headers } : {}),
    lastFetchAt: s.lastFetchAt ?? null,
    lastError: s.lastError ?? null,
    sites: s.sites ?? 0,
    applied: s.applied ?? 0,
  };
}
