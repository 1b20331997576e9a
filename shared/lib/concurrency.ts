// Bounded concurrency for async work: how many of one request's store calls (or any other async
// tasks) may be pending at once. Dependency-free, so any layer may use it.
//
// Why a bound at all: a promise per item started all at once (`Promise.all(items.map(fn))`) puts
// every call on the wire together. With hundreds of them the SDK's socket pool queues them, the
// queued ones run into their request timeout, and one request's fan-out starves every other
// request sharing the client (README "Limits").

/** A limit is a whole number ≥ 1, or Infinity (no limit: only for measuring what the limit buys). */
function checkLimit(limit: number, what: string): void {
  if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))) {
    throw new RangeError(`${what}: limit must be an integer >= 1 or Infinity, got ${String(limit)}`);
  }
}

/**
 * `fn` over every item with at most `limit` calls pending at once; results in input order.
 * On the first failure no further item is started; the calls already running are waited for
 * (so nothing of this work is still in flight when the caller hears of the failure), then the
 * first error is thrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  checkLimit(limit, 'mapLimit');
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        if (!failed) {
          failed = true;
          firstError = error;
        }
      }
    }
  };
  const workers = Math.min(limit, items.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (failed) throw firstError;
  return results;
}

/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come, first served.
 * For work that is not one list (several phases or callers sharing one budget).
 */
export class Semaphore {
  private holders = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    checkLimit(limit, 'Semaphore');
  }

  /** Holders right now. */
  get active(): number {
    return this.holders;
  }

  /** Callers waiting for a place. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Waits for a place; the returned function gives it back (calling it again does nothing). */
  async acquire(): Promise<() => void> {
    if (this.holders < this.limit) this.holders++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const wake = this.waiters.shift();
      // The place passes straight to the next waiter, so `holders` never exceeds the limit.
      if (wake) wake();
      else this.holders--;
    };
  }

  /** Runs `fn` holding a place, and gives it back however `fn` ends. */
  async run<R>(fn: () => Promise<R>): Promise<R> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
