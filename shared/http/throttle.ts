// Slows down key guessing: a client that fails authentication too often within a window gets 429
// with Retry-After until its oldest failure leaves the window. Kept in memory, so on Lambda it is per
// container; API Gateway's stage throttling is the outer guard. Bounded: old clients are forgotten.

export interface ThrottleOptions {
  /** Failed authentications allowed per client within the window. */
  limit: number;
  windowMs: number;
  /** Clients remembered at once (the oldest are dropped first). */
  maxClients?: number;
}

export const DEFAULT_AUTH_THROTTLE: ThrottleOptions = { limit: 20, windowMs: 60_000, maxClients: 10_000 };

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly options: ThrottleOptions = DEFAULT_AUTH_THROTTLE,
  ) {}

  /** Seconds the client must wait, or 0 when it may try. */
  retryAfter(client: string): number {
    const recent = this.recent(client);
    if (recent.length < this.options.limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.options.windowMs - this.now()) / 1000));
  }

  recordFailure(client: string): void {
    const recent = this.recent(client);
    recent.push(this.now());
    this.failures.delete(client); // re-insert: Map order is then least recently failed first
    this.failures.set(client, recent);
    const max = this.options.maxClients ?? DEFAULT_AUTH_THROTTLE.maxClients!;
    while (this.failures.size > max) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(client: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    return (this.failures.get(client) ?? []).filter((t) => t > cutoff);
  }
}
