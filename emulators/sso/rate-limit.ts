/**
 * The portal's throttle: IAM Identity Center documents "a collective throttle maximum of 20
 * transactions per second" across its APIs (second-wave-reference §2.5). A token bucket on the
 * emulator's clock: `requestsPerSecond` tokens a second, at most `burst` saved up (default one
 * second's worth). A request that finds the bucket empty is refused and takes no token, so a
 * client that keeps hammering gets nothing through faster.
 */
export interface RateLimit {
  requestsPerSecond: number;
  /** Requests allowed at once after a quiet spell. Default: requestsPerSecond. */
  burst?: number;
  /**
   * Send `Retry-After` (whole seconds until a token is free, at least 1) with each 429. The real
   * service's 429 has none (so default false); tests use it to check a client honours it.
   */
  retryAfterHeader?: boolean;
}

export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  private readonly capacity: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    if (!(limit.requestsPerSecond > 0)) throw new Error('SSO emulator: requestsPerSecond must be > 0');
    this.capacity = Math.max(1, limit.burst ?? limit.requestsPerSecond);
    this.tokens = this.capacity;
    this.lastMs = now();
  }

  /** Takes one token: true when the request may go through. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until the next token, rounded up, at least 1 (Retry-After's unit). */
  retryAfterSeconds(): number {
    this.refill();
    const ms = ((1 - this.tokens) * 1000) / this.limit.requestsPerSecond;
    return Math.max(1, Math.ceil(ms / 1000));
  }

  private refill(): void {
    const now = this.now();
    // A clock that goes backwards (a test rewinding it) refills nothing.
    const elapsed = Math.max(0, now - this.lastMs);
    this.lastMs = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.limit.requestsPerSecond) / 1000);
  }
}
