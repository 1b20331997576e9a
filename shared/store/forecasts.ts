// Stored forecast models (README "Forecasts"): one item per lot, keyed by the lot id and naming
// the incarnation (generation) it was fitted for, holding the model as JSON and the instant it was
// fitted at. The scheduled job writes it; the forecast route and nearby's `arriveAt` read it with
// eventually consistent reads (half the cost: a model a moment old is as good).
//
// Keyed by id rather than by the lot's data scope because nearby's candidates come from the geo
// index, which does not carry the generation. So that a lot created again under its id never
// answers from its predecessor's model: a lot's DELETE removes the item (DynamoLots.delete), a put
// checks afterwards that the lot is still the incarnation it fitted and takes its item back if not,
// the route compares generations, and the job refits a model of another generation.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ForecastModel } from '../domain/forecast';
import type { LotIncarnation } from '../domain/lot-incarnation';
import type { ForecastModelsPort } from '../use-cases/ports';
import { batchGet } from './batch';
import { translated } from './errors';
import { forecastModelKey, lotKey } from './keys';

interface ModelItem {
  pk: string;
  sk: string;
  generation: string;
  fittedAt: number;
  timeZone: string;
  /** The model as JSON. */
  m: string;
}

/** A stored model we can use: version 1 with the arrays the predictor reads. */
function parseModel(text: string | undefined): ForecastModel | null {
  if (typeof text !== 'string') return null;
  try {
    const model = JSON.parse(text) as ForecastModel;
    return model?.version === 1 && Array.isArray(model.profile) && Array.isArray(model.phi) ? model : null;
  } catch {
    return null;
  }
}

const lotIdOf = (pk: string) => pk.slice('FCST#'.length);

export class DynamoForecastModels implements ForecastModelsPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(lot: LotIncarnation): Promise<ForecastModel | null> {
    const { Item } = await translated('get forecast model', () =>
      this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: marshall(forecastModelKey(lot.id)) }),
      ),
    );
    if (!Item) return null;
    const raw = unmarshall(Item) as ModelItem;
    return raw.generation === lot.generation ? parseModel(raw.m) : null;
  }

  async getMany(
    lotIds: readonly string[],
    stats?: { readUnits: number },
  ): Promise<Map<string, ForecastModel>> {
    const items = await batchGet(
      this.client,
      this.tableName,
      [...new Set(lotIds)].map((id) => marshall(forecastModelKey(id))),
      'get forecast models',
      { consistent: false, ...(stats ? { stats } : {}) },
    );
    const found = new Map<string, ForecastModel>();
    for (const item of items) {
      const raw = unmarshall(item) as ModelItem;
      const model = parseModel(raw.m);
      if (model) found.set(lotIdOf(raw.pk), model);
    }
    return found;
  }

  async fittedAt(
    lots: readonly LotIncarnation[],
  ): Promise<Map<string, { fittedAt: number; timeZone: string }>> {
    const generations = new Map(lots.map((lot) => [lot.id, lot.generation]));
    const items = await batchGet(
      this.client,
      this.tableName,
      [...generations.keys()].map((id) => marshall(forecastModelKey(id))),
      'get forecast model times',
      { attributes: ['pk', 'generation', 'fittedAt', 'timeZone'] },
    );
    const found = new Map<string, { fittedAt: number; timeZone: string }>();
    for (const item of items) {
      const raw = unmarshall(item) as Pick<ModelItem, 'pk' | 'generation' | 'fittedAt' | 'timeZone'>;
      const id = lotIdOf(raw.pk);
      // Another incarnation's model counts as none: the job fits this one's over it.
      if (generations.get(id) === raw.generation)
        found.set(id, { fittedAt: raw.fittedAt, timeZone: raw.timeZone });
    }
    return found;
  }

  async put(lot: LotIncarnation, model: ForecastModel): Promise<void> {
    const item: ModelItem = {
      ...forecastModelKey(lot.id),
      generation: lot.generation,
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
            // Two job runs at once: the later fit wins (the same fit is the same content); a model
            // of another incarnation is always replaced.
            ConditionExpression: 'attribute_not_exists(#f) OR #f <= :f OR #g <> :g',
            ExpressionAttributeNames: { '#f': 'fittedAt', '#g': 'generation' },
            ExpressionAttributeValues: { ':f': { N: String(model.fittedAt) }, ':g': { S: lot.generation } },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return;
    }
    // The lot may have been deleted (and its model item with it) while this model was fitted:
    // if it is not this incarnation any more, take the item back.
    const { Item } = await translated('check lot', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(lotKey(lot.id)),
          ConsistentRead: true,
          ProjectionExpression: '#g',
          ExpressionAttributeNames: { '#g': 'generation' },
        }),
      ),
    );
    const current = Item ? ((unmarshall(Item) as { generation?: string }).generation ?? '') : null;
    if (current !== lot.generation) await this.remove(lot.id, lot.generation);
  }

  /** Removes a lot's model item (of that generation only, when given). */
  async remove(lotId: string, generation?: string): Promise<void> {
    try {
      await translated('delete forecast model', () =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: marshall(forecastModelKey(lotId)),
            ...(generation === undefined
              ? {}
              : {
                  ConditionExpression: '#g = :g',
                  ExpressionAttributeNames: { '#g': 'generation' },
                  ExpressionAttributeValues: { ':g': { S: generation } },
                }),
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
