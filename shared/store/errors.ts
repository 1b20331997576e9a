// SDK errors translated at the adapter boundary into the core's StoreUnavailableError, so that
// use cases and HTTP never see @aws-sdk types (README "Layering").
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '../use-cases/errors';

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'AbortError',
]);

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return UNAVAILABLE.has(error.name) || (code !== undefined && UNAVAILABLE.has(code)) || (status ?? 0) >= 500;
}

/** Runs a store call, turning transport and capacity failures into StoreUnavailableError. */
export async function translated<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    if (isUnavailable(error))
      throw new StoreUnavailableError(`store unavailable during ${what}`, 1, { cause: error });
    throw error;
  }
}

/**
 * Runs a write conditioned on the item existing (`attribute_exists(pk)`): false when the item is
 * gone, so callers answer 404 instead of creating or half-updating a deleted item.
 */
export async function whenItemExists(what: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await translated(what, call);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
