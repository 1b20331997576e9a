// Store-level failures, translated from SDK errors at the adapter boundary so that use cases
// and HTTP never see @aws-sdk types (STYLE habit 4).

/** The store could not be reached, timed out or throttled us past our retries. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Optimistic concurrency kept losing: too many writers on one item. */
export class ContentionError extends StoreUnavailableError {
  override name = 'ContentionError';
}

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
