// Long loops share the event loop (README "Limits": no request blocks it for more than ~100 ms):
// a Pacer tells a loop when it has run for a slice and then yields with setImmediate, so /health
// and other requests are answered meanwhile. Not a rule of the domain but a leaf every layer may
// use; it imports nothing.

export const DEFAULT_SLICE_MS = 20;

export class Pacer {
  private sliceStart = performance.now();
  /** How often this pacer yielded (tests check that long work does). */
  yields = 0;

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  /** Whether the current slice is used up (cheap: call it every iteration). */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Lets everything else that is waiting run, then starts a new slice. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.yields++;
    this.sliceStart = performance.now();
  }

  /** Yields if the slice is used up. */
  async tick(): Promise<void> {
    if (this.due()) await this.pause();
  }
}
