// The failures use cases and the store adapters raise, which the HTTP layer maps to statuses
// (app.onError). No HTTP or store types here: adapters translate vendor errors into these.
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Input that passed the schema but breaks a rule that needs context (the clock, the lot). */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly errors: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** The caller is known but may not do this (a sensor key for another incarnation of the lot). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** The same event id arrived again with a different body (409). */
export class EventConflictError extends Error {
  override name = 'EventConflictError';
  constructor(readonly eventId: string) {
    super(`event ${eventId} was already received with a different body`);
  }
}

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

/** A read of raw history would pass the budget it was given (README "Limits"): nothing was answered from it. */
export class HistoryBudgetError extends Error {
  override name = 'HistoryBudgetError';
  constructor(readonly limit: number) {
    super(`the history needed holds more than ${limit} observations`);
  }
}
