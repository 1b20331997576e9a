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
 * A counting semaphore: at most `limit` holders at once. Waiters are served round-robin by owner
 * (first come, first served within one owner, and among callers that give none), so one caller
 * with hundreds of waiting tasks cannot make another caller's single task wait behind all of them.
 */
export class Semaphore {
  private holders = 0;
  /** Waiters by owner; the map's order is the rotation (an owner served moves to the back). */
  private readonly queues = new Map<unknown, Array<() => void>>();
  private waiters = 0;

  constructor(readonly limit: number) {
    checkLimit(limit, 'Semaphore');
  }

  /** Holders right now. */
  get active(): number {
    return this.holders;
  }

  /** Callers waiting for a place. */
  get waiting(): number {
    return this.waiters;
  }

  /**
   * Waits for a place; the returned function gives it back (calling it again does nothing).
   * `owner` (any value compared by identity) groups the waits served in turn with other owners'.
   */
  async acquire(owner: unknown = Semaphore): Promise<() => void> {
    if (this.holders < this.limit) this.holders++;
    else {
      await new Promise<void>((resolve) => {
        const queue = this.queues.get(owner);
        if (queue) queue.push(resolve);
        else this.queues.set(owner, [resolve]);
        this.waiters++;
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.handOver();
    };
  }

  /** Runs `fn` holding a place, and gives it back however `fn` ends. */
  async run<R>(fn: () => Promise<R>, owner?: unknown): Promise<R> {
    const release = await this.acquire(owner);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** A place given back passes straight to the next owner's first waiter, so `holders` never exceeds the limit. */
  private handOver(): void {
    const next = this.queues.entries().next();
    if (next.done) {
      this.holders--;
      return;
    }
    const [owner, queue] = next.value;
    const wake = queue.shift()!;
    this.queues.delete(owner);
    if (queue.length > 0) this.queues.set(owner, queue);
    this.waiters--;
    wake();
  }
}
