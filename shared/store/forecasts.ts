// Stored forecast models (README "Forecasts"): one item per lot incarnation, in its rollup
// partition (so a deleted lot's purge takes it and a lot created again under the id has none),
// holding the model as JSON and the instant it was fitted at. The scheduled job writes it; the
// forecast route and nearby's `arriveAt` read it with eventually consistent reads (half the
// cost: a model a moment old is as good, and the route checks `fittedAt` anyway).
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ForecastModel } from '../domain/forecast';
import { dataScope, type LotIncarnation } from '../domain/lot-incarnation';
import type { ForecastModelsPort } from '../use-cases/ports';
import { batchGet } from './batch';
import { translated } from './errors';
import { forecastModelKey } from './keys';

interface ModelItem {
  pk: string;
  sk: string;
  fittedAt: number;
  timeZone: string;
  /** The model as JSON. */
  m: string;
}

/** A stored model we can use: version 1 with the arrays the predictor reads. */
function parseModel(text: string): ForecastModel | null {
  try {
    const model = JSON.parse(text) as ForecastModel;
    return model?.version === 1 && Array.isArray(model.profile) && Array.isArray(model.phi) ? model : null;
  } catch {
    return null;
  }
}

export class DynamoForecastModels implements ForecastModelsPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(lot: LotIncarnation): Promise<ForecastModel | null> {
    const { Item } = await translated('get forecast model', () =>
      this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: marshall(forecastModelKey(dataScope(lot))) }),
      ),
    );
    return Item ? parseModel((unmarshall(Item) as ModelItem).m) : null;
  }

  async getMany(
    lots: readonly LotIncarnation[],
    stats?: { readUnits: number },
  ): Promise<Map<string, ForecastModel>> {
    const byScope = new Map(lots.map((lot) => [forecastModelKey(dataScope(lot)).pk, lot.id]));
    const items = await batchGet(
      this.client,
      this.tableName,
      [...byScope.keys()].map((pk) => marshall({ pk, sk: forecastModelKey('').sk })),
      'get forecast models',
      { consistent: false, ...(stats ? { stats } : {}) },
    );
    const found = new Map<string, ForecastModel>();
    for (const item of items) {
      const raw = unmarshall(item) as ModelItem;
      const id = byScope.get(raw.pk);
      const model = parseModel(raw.m);
      if (id !== undefined && model) found.set(id, model);
    }
    return found;
  }

  async fittedAt(
    lots: readonly LotIncarnation[],
  ): Promise<Map<string, { fittedAt: number; timeZone: string }>> {
    const byScope = new Map(lots.map((lot) => [forecastModelKey(dataScope(lot)).pk, lot.id]));
    const items = await batchGet(
      this.client,
      this.tableName,
      [...byScope.keys()].map((pk) => marshall({ pk, sk: forecastModelKey('').sk })),
      'get forecast model times',
      { attributes: ['pk', 'fittedAt', 'timeZone'] },
    );
    const found = new Map<string, { fittedAt: number; timeZone: string }>();
    for (const item of items) {
      const raw = unmarshall(item) as Pick<ModelItem, 'pk' | 'fittedAt' | 'timeZone'>;
      const id = byScope.get(raw.pk);
      if (id !== undefined) found.set(id, { fittedAt: raw.fittedAt, timeZone: raw.timeZone });
    }
    return found;
  }

  async put(lot: LotIncarnation, model: ForecastModel): Promise<void> {
    const item: ModelItem = {
      ...forecastModelKey(dataScope(lot)),
      fittedAt: model.fittedAt,
      timeZone: model.timeZone,
      m: JSON.stringify(model),
    };
    try {
      await translated('put forecast model', () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall(item),
            // Two job runs at once: the later fit wins, and the same fit is the same content.
            ConditionExpression: 'attribute_not_exists(#f) OR #f <= :f',
            ExpressionAttributeNames: { '#f': 'fittedAt' },
            ExpressionAttributeValues: { ':f': { N: String(model.fittedAt) } },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
