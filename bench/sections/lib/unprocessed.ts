// Items a batch write left unprocessed (throttling) are sent again, within a bound: a loader that
// retried for ever would hang the bench instead of failing its section with a reason. Same
// attempts and jittered backoff as the service's own batch writes (shared/store/batch.ts).
import { jitteredBackoffMs, MAX_BATCH_ATTEMPTS } from '../../../shared/store/batch';

export interface RetryPolicy {
  /** Requests for one chunk, the first included. */
  maxAttempts: number;
  /** Wait before retry `attempt` (1, 2, …). */
  backoffMs: (attempt: number) => number;
}

export const LOADER_RETRIES: RetryPolicy = { maxAttempts: MAX_BATCH_ATTEMPTS, backoffMs: jitteredBackoffMs };

/**
 * Sends `pending` (what the first request left undone) again until nothing is left; throws,
 * naming `what` and how many items were still unwritten, once `maxAttempts` requests in all
 * have been made.
 */
export async function retryUnprocessed<T>(
  what: string,
  pending: T[],
  send: (items: T[]) => Promise<T[]>,
  policy: RetryPolicy = LOADER_RETRIES,
): Promise<void> {
  let left = pending;
  for (let attempt = 1; left.length > 0; attempt++) {
    if (attempt >= policy.maxAttempts) {
      throw new Error(
        `${what}: ${left.length} items still unprocessed after ${policy.maxAttempts} batch writes (the store kept throttling)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, policy.backoffMs(attempt)));
    left = await send(left);
  }
}
