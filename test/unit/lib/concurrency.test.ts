// The bounded-concurrency helper every request's store fan-out goes through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapLimit, Semaphore } from '../../../shared/lib/concurrency';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An async task that records how many tasks were pending at once. */
function tracker() {
  let now = 0;
  let max = 0;
  return {
    get max() {
      return max;
    },
    get now() {
      return now;
    },
    task: async <R>(ms: number, value: R): Promise<R> => {
      now++;
      max = Math.max(max, now);
      try {
        await tick(ms);
        return value;
      } finally {
        now--;
      }
    },
  };
}

describe('mapLimit', () => {
  it('never has more than `limit` calls pending and returns results in input order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        async (delays, limit) => {
          const t = tracker();
          const results = await mapLimit(delays, limit, (ms, i) => t.task(ms, i));
          expect(results).toEqual(delays.map((_, i) => i));
          expect(t.max).toBeLessThanOrEqual(limit);
          // It is a limit, not a throttle: with enough work, it runs `limit` at once.
          if (delays.length >= limit && delays.every((d) => d > 0)) expect(t.max).toBe(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stops starting items after a failure, waits for the running ones, then throws the first error', async () => {
    const t = tracker();
    const started: number[] = [];
    let settledBeforeThrow = -1;
    const failure = mapLimit([0, 1, 2, 3, 4, 5, 6, 7], 3, async (i) => {
      started.push(i);
      if (i === 1) {
        await tick(1);
        throw new Error('first');
      }
      if (i === 2) {
        await tick(5);
        throw new Error('second');
      }
      return t.task(10, i);
    }).catch((error: Error) => {
      settledBeforeThrow = t.now;
      return error;
    });
    const error = (await failure) as Error;
    expect(error.message).toBe('first');
    expect(started).toEqual([0, 1, 2]);
    expect(settledBeforeThrow).toBe(0); // item 0 was still running when item 1 failed
  });

  it('handles no items, and Infinity as no limit', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    const t = tracker();
    await mapLimit([5, 5, 5, 5, 5], Number.POSITIVE_INFINITY, (ms) => t.task(ms, 0));
    expect(t.max).toBe(5);
  });

  it('rejects a limit that is not a whole number >= 1', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expect(mapLimit([1], limit, async (x) => x)).rejects.toThrow(RangeError);
    }
  });
});

describe('Semaphore', () => {
  it('admits at most `limit` holders, first come first served, across several callers', async () => {
    const semaphore = new Semaphore(2);
    const t = tracker();
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        semaphore.run(async () => {
          order.push(i);
          expect(semaphore.active).toBeLessThanOrEqual(2);
          return t.task(3, i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(t.max).toBe(2);
    expect(semaphore.active).toBe(0);
    expect(semaphore.waiting).toBe(0);
  });

  it('gives a place back when the work fails, and only once however often release is called', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(semaphore.active).toBe(0);
    const release = await semaphore.acquire();
    release();
    release();
    expect(semaphore.active).toBe(0);
    const a = await semaphore.acquire();
    let second = false;
    const b = semaphore.acquire().then((r) => {
      second = true;
      return r;
    });
    await tick(1);
    expect(second).toBe(false);
    a();
    (await b)();
    expect(second).toBe(true);
    expect(semaphore.active).toBe(0);
  });

  it('serves owners in turn, so one owner with many waiting tasks does not starve another', async () => {
    const semaphore = new Semaphore(1);
    const hold = await semaphore.acquire();
    const order: string[] = [];
    const flood = { name: 'flood' };
    const single = { name: 'single' };
    const tasks = Array.from({ length: 10 }, (_, i) =>
      semaphore.run(async () => {
        order.push(`flood-${i}`);
        await tick(1);
      }, flood),
    );
    tasks.push(
      semaphore.run(async () => {
        order.push('single');
      }, single),
    );
    expect(semaphore.waiting).toBe(11);
    hold();
    await Promise.all(tasks);
    // The flood's first task was queued first; the single task comes right after it, not after all ten.
    expect(order.slice(0, 3)).toEqual(['flood-0', 'single', 'flood-1']);
    expect(order).toHaveLength(11);
    expect(semaphore.active).toBe(0);
  });

  it('rejects a limit that is not a whole number >= 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(2.5)).toThrow(RangeError);
  });
});
