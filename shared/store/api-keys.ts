// API keys. Secrets are random 256-bit strings, stored only as SHA-256 hashes: a fast hash is
// right for high-entropy secrets (nothing to brute-force), and the key id inside the secret
// makes lookup one GetItem.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ApiKey, AuthenticatedKey, KeysPort, NewKey } from '../use-cases/ports';
import { translated } from './errors';
import { apiKeyKey } from './keys';

interface ApiKeyItem extends AuthenticatedKey {
  pk: string;
  sk: string;
  secretHash: string;
}

export const ADMIN_KEY_ID = 'admin';
const SECRET_PREFIX = 'pf_';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `pf_<keyId>.<random>`; any other shape is looked up as the bootstrap admin key. */
export function keyIdOfSecret(secret: string): string {
  if (secret.startsWith(SECRET_PREFIX)) {
    const dot = secret.indexOf('.');
    if (dot > SECRET_PREFIX.length) return secret.slice(SECRET_PREFIX.length, dot);
  }
  return ADMIN_KEY_ID;
}

export function newSecret(keyId: string): string {
  return `${SECRET_PREFIX}${keyId}.${randomBytes(32).toString('base64url')}`;
}

export class DynamoApiKeys implements KeysPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The key this secret belongs to, if it exists, is not revoked and the secret matches. */
  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    const keyId = keyIdOfSecret(secret);
    const { Item } = await translated('get key', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(apiKeyKey(keyId)),
          // Revocation takes effect at once: never trust a replica that may lag.
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item) return null;
    const item = unmarshall(Item) as ApiKeyItem;
    const expected = Buffer.from(item.secretHash, 'hex');
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    if (item.revokedAt !== undefined) return null;
    return { ...publicPart(item), ...(item.lotGenerations ? { lotGenerations: item.lotGenerations } : {}) };
  }

  /** Stores a new key as given; whether its lots exist is the caller's to check (manage-keys.ts). */
  async create(input: NewKey, now: number): Promise<ApiKey & { secret: string }> {
    const keyId = randomBytes(9).toString('base64url').replaceAll(/[-_]/g, 'x');
    const secret = newSecret(keyId);
    const key: AuthenticatedKey = { keyId, ...input, createdAt: now };
    await this.put(key, secret, false);
    return { ...publicPart(key), secret };
  }

  /**
   * Makes sure the bootstrap staff key exists with this secret. `replace` = the secret came from
   * ADMIN_API_KEY and wins over whatever was stored before.
   */
  async ensureAdmin(secret: string, now: number, replace: boolean): Promise<'created' | 'existed'> {
    const key: ApiKey = { keyId: ADMIN_KEY_ID, role: 'staff', label: 'bootstrap admin', createdAt: now };
    try {
      await this.put(key, secret, replace);
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'existed';
      throw error;
    }
  }

  /** Whether the bootstrap key exists, and whether it still works. */
  async adminState(): Promise<'none' | 'live' | 'revoked'> {
    const { Item } = await translated('get key', () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(apiKeyKey(ADMIN_KEY_ID)),
          ConsistentRead: true,
        }),
      ),
    );
    if (Item === undefined) return 'none';
    return (unmarshall(Item) as ApiKeyItem).revokedAt === undefined ? 'live' : 'revoked';
  }

  async listPage(limit: number, after?: string): Promise<{ keys: ApiKey[]; next?: string }> {
    // One Query page of `limit` key items, live or revoked (revoked keys stay, so that their ids are
    // never reused): a page may list fewer live keys than `limit`, even none, and still have a next.
    const { Items, LastEvaluatedKey } = await translated('list keys', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: apiKeyKey('').pk } },
          Limit: limit,
          ...(after === undefined ? {} : { ExclusiveStartKey: marshall(apiKeyKey(after)) }),
        }),
      ),
    );
    const items = (Items ?? []).map((item) => unmarshall(item) as ApiKeyItem);
    const keys = items.filter((key) => key.revokedAt === undefined).map(publicPart);
    const last = items.at(-1);
    return LastEvaluatedKey === undefined || last === undefined ? { keys } : { keys, next: last.keyId };
  }

  /** Revokes a key; false if there is no such live key. */
  async revoke(keyId: string, now: number): Promise<boolean> {
    try {
      await translated('revoke key', () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: marshall(apiKeyKey(keyId)),
            UpdateExpression: 'SET #revokedAt = :now',
            ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#revokedAt)',
            ExpressionAttributeNames: { '#pk': 'pk', '#revokedAt': 'revokedAt' },
            ExpressionAttributeValues: { ':now': { N: String(now) } },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async put(key: AuthenticatedKey, secret: string, overwrite: boolean) {
    const item: ApiKeyItem = { ...apiKeyKey(key.keyId), ...key, secretHash: hashSecret(secret) };
    await translated('put key', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ...(overwrite ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      ),
    );
  }
}

function publicPart(item: AuthenticatedKey): ApiKey {
  return {
    keyId: item.keyId,
    role: item.role,
    ...(item.lots ? { lots: item.lots } : {}),
    label: item.label,
    createdAt: item.createdAt,
  };
}
