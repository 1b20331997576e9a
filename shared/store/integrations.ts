// LoRaWAN integrations and their device mappings (README "Sensor networks"). An integration's
// secret is stored only as its SHA-256, like an API key's (./api-keys.ts): a random 256-bit secret
// has nothing to brute-force, so a fast hash is right. Its devices live under its generation, so
// deleting the integration retires them with one DeleteItem, and an integration created again
// under the same id starts with no devices.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Network } from '../domain/lorawan';
import type { DeviceMapping, Integration, IntegrationsPort } from '../use-cases/ports';
import { hashSecret } from './api-keys';
import { translated, whenItemExists } from './errors';
import { deviceKey, integrationKey } from './keys';
import { randomGeneration } from './lots';

interface IntegrationItem extends Integration {
  pk: string;
  sk: string;
  secretHash: string;
}

/** `pfi_` tells an integration secret from an API key (`pf_…`) at a glance, in logs and leaks. */
const SECRET_PREFIX = 'pfi_';

export class DynamoIntegrations implements IntegrationsPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly newGeneration: () => string = randomGeneration,
  ) {}

  async put(
    input: { integrationId: string; network: Network; label: string },
    now: number,
  ): Promise<{ integration: Integration; secret: string; created: boolean }> {
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const generation = this.newGeneration();
    // One UpdateItem: a new id gets its creation time and generation, an existing one keeps them
    // (and so its devices) and takes the new secret, network and label.
    const { Attributes } = await translated('put integration', () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(integrationKey(input.integrationId)),
          UpdateExpression:
            'SET #integrationId = :id, #network = :network, #label = :label, #secretHash = :hash, ' +
            '#createdAt = if_not_exists(#createdAt, :now), #generation = if_not_exists(#generation, :generation)',
          ExpressionAttributeNames: {
            '#integrationId': 'integrationId',
            '#network': 'network',
            '#label': 'label',
            '#secretHash': 'secretHash',
            '#createdAt': 'createdAt',
            '#generation': 'generation',
          },
          ExpressionAttributeValues: marshall({
            ':id': input.integrationId,
            ':network': input.network,
            ':label': input.label,
            ':hash': hashSecret(secret),
            ':now': now,
            ':generation': generation,
          }),
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    const before = Attributes ? (unmarshall(Attributes) as IntegrationItem) : null;
    const integration: Integration = {
      integrationId: input.integrationId,
      network: input.network,
      label: input.label,
      createdAt: before?.createdAt ?? now,
      generation: before?.generation ?? generation,
    };
    return { integration, secret, created: before === null };
  }

  async authenticate(integrationId: string, secret: string): Promise<Integration | null> {
    const item = await this.read(integrationId);
    if (item === null) return null;
    const expected = Buffer.from(item.secretHash, 'hex');
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return publicPart(item);
  }

  async get(integrationId: string): Promise<Integration | null> {
    const item = await this.read(integrationId);
    return item === null ? null : publicPart(item);
  }

  async delete(integrationId: string): Promise<boolean> {
    return whenItemExists('delete integration', () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(integrationKey(integrationId)),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
        }),
      ),
    );
  }

  async putDevice(integration: Integration, mapping: DeviceMapping): Promise<void> {
    const key = deviceKey(integration.integrationId, integration.generation, mapping.deviceId);
    await translated('put device', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...key, ...mapping }, { removeUndefinedValues: true }),
        }),
      ),
    );
  }

  async getDevice(integration: Integration, deviceId: string): Promise<DeviceMapping | null> {
    const { Item } = await translated('get device', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(deviceKey(integration.integrationId, integration.generation, deviceId)),
          // A device mapped a moment ago applies its next uplink.
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return null;
    const { lotId, spaceId } = unmarshall(Item) as DeviceMapping;
    return { deviceId, lotId, ...(spaceId !== undefined ? { spaceId } : {}) };
  }

  private async read(integrationId: string): Promise<IntegrationItem | null> {
    const { Item } = await translated('get integration', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(integrationKey(integrationId)),
          // A rotated or deleted secret stops working at once: never trust a replica that may lag.
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? (unmarshall(Item) as IntegrationItem) : null;
  }
}

function publicPart(item: IntegrationItem): Integration {
  return {
    integrationId: item.integrationId,
    network: item.network,
    label: item.label,
    createdAt: item.createdAt,
    generation: item.generation,
  };
}
