// SDK errors translated at the adapter boundary into the core's StoreUnavailableError, so that
// use cases and HTTP never see @aws-sdk types (README "Layering").
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
