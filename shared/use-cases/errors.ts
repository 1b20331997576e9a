// Domain failures the HTTP layer maps to statuses (app.onError). No HTTP types here.
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
