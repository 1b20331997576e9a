// A Pacer is what keeps long loops from blocking the event loop (README "Limits"). These tests fail
// if it stops yielding: work scheduled before a paced loop must get its turn before the loop ends.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLICE_MS, Pacer } from '../../../shared/domain/pacer';

/** Keeps the CPU busy for `ms` without awaiting (what a slice of real work looks like). */
function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* busy */
  }
}

describe('Pacer', () => {
  it('lets an immediate scheduled before a long loop run before the loop ends', async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    const pacer = new Pacer();
    // Each iteration is 1 ms of CPU: ten slices' worth in all, so a pacer that yields lets the
    // immediate in after about one slice.
    let iterationsBeforeItRan = -1;
    for (let i = 0; i < 10 * DEFAULT_SLICE_MS; i++) {
      burn(1);
      await pacer.tick();
      if (ran && iterationsBeforeItRan < 0) iterationsBeforeItRan = i;
    }
    expect(ran).toBe(true);
    expect(iterationsBeforeItRan).toBeGreaterThanOrEqual(0);
    expect(iterationsBeforeItRan).toBeLessThan(10 * DEFAULT_SLICE_MS - 1);
    expect(pacer.yields).toBeGreaterThan(0);
  });

  it('yields at every tick once each slice is used up, and lets timers fire between slices', async () => {
    let fired = 0;
    const timer = setInterval(() => fired++, 0);
    const pacer = new Pacer(0); // every tick is due
    for (let i = 0; i < 50; i++) {
      burn(2); // past the 1 ms a timer waits at least
      await pacer.tick();
    }
    clearInterval(timer);
    expect(pacer.yields).toBe(50);
    expect(fired).toBeGreaterThan(0);
  });

  it('does not yield before its slice is used up', async () => {
    const pacer = new Pacer(60_000);
    for (let i = 0; i < 1000; i++) await pacer.tick();
    expect(pacer.due()).toBe(false);
    expect(pacer.yields).toBe(0);
  });
});
