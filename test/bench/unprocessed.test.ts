// The bench's loaders retry what a batch write left unprocessed a bounded number of times, then
// fail their section with a reason (an unbounded loop hung the bench under throttling).
import { describe, expect, it } from 'vitest';
import { LOADER_RETRIES, retryUnprocessed } from '../../bench/sections/lib/unprocessed';

const quick = { maxAttempts: 5, backoffMs: () => 1 };

describe('retryUnprocessed', () => {
  it('fails, naming the load and what is left, when the store never finishes', async () => {
    let sent = 0;
    const stuck = async (items: number[]) => {
      sent++;
      return items;
    };
    await expect(retryUnprocessed('loading dynamodb-geo', [1, 2, 3], stuck, quick)).rejects.toThrow(
      /loading dynamodb-geo: 3 items still unprocessed after 5 batch writes/,
    );
    expect(sent).toBe(quick.maxAttempts - 1); // the first request was the loader's own
  });

  it('sends the rest again until nothing is left, waiting longer each time', async () => {
    const waits: number[] = [];
    const policy = {
      maxAttempts: 5,
      backoffMs: (attempt: number) => {
        waits.push(attempt);
        return 1;
      },
    };
    const sent: number[][] = [];
    await retryUnprocessed(
      'load',
      [1, 2, 3],
      async (items) => {
        sent.push(items);
        return items.slice(1);
      },
      policy,
    );
    expect(sent).toEqual([[1, 2, 3], [2, 3], [3]]);
    expect(waits).toEqual([1, 2, 3]);
  });

  it('sends nothing when the first request wrote everything', async () => {
    let sent = 0;
    await retryUnprocessed('load', [], async () => {
      sent++;
      return [];
    });
    expect(sent).toBe(0);
  });

  it('waits with a backoff that grows and stays bounded', () => {
    const waits = Array.from({ length: LOADER_RETRIES.maxAttempts }, (_, i) =>
      LOADER_RETRIES.backoffMs(i + 1),
    );
    const total = waits.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(10_000);
  });
});
