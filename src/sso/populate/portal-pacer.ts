import type { SsoRetryStrategy } from '../../aws-sdk/aws-clients.js';
import type { Clock } from '../../app/clock.js';
import { InterruptedError } from '../../errors/cli-error.js';

/**
 * One limiter for every attempt of every portal call `sso populate` makes, plugged into the SDK as
 * its retry strategy (the SDK asks it before the first attempt and after each failure):
 *
 * - pacing: IAM Identity Center allows about 20 requests per second, collectively. Attempts are
 *   spaced evenly at the current rate on the injected clock (a token bucket holding one token),
 *   so requests never arrive in bursts, whatever the concurrency.
 * - adaptive: a throttled answer (the SDK classifies it: 429, TooManyRequestsException) halves
 *   the rate; each success wins back a little, up to the ceiling (AIMD, like TCP).
 * - backoff: a retried attempt waits for the server's Retry-After when the SDK parsed one, else an
 *   exponential, jittered delay; then it takes its turn in the queue like any other attempt.
 *   Client errors (4xx other than throttling) are never retried.
 */
export interface PacerOptions {
  /** The ceiling, in requests per second. Default 20 (the service's documented limit). */
  requestsPerSecond?: number;
  /** The rate never drops below this. Default 1. */
  minRequestsPerSecond?: number;
  /** Attempts per call, the first included. Default 8 (about half a minute of backoff). */
  maxAttempts?: number;
  /** First backoff, doubled at each retry, capped at maxBackoffMs. Defaults 500 and 10,000. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** [0, 1): jitter. Default Math.random. */
  random?: () => number;
}

type RetryToken = Awaited<ReturnType<Extract<SsoRetryStrategy, { acquireInitialRetryToken: unknown }>['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<Extract<SsoRetryStrategy, { refreshRetryTokenForRetry: unknown }>['refreshRetryTokenForRetry']>[1];

export interface PacerStats {
  /** HTTP attempts started (first attempts and retries). */
  attempts: number;
  /** Attempts answered with throttling. */
  throttled: number;
  /** Retries of any kind. */
  retries: number;
  /** The current rate, requests per second. */
  rate: number;
}

export class PortalPacer {
  readonly stats: PacerStats;
  private readonly ceiling: number;
  private readonly floor: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  /** When the next attempt may start, on the clock (ms). */
  private nextSlotMs = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    options: PacerOptions = {},
  ) {
    this.ceiling = options.requestsPerSecond ?? 20;
    this.floor = Math.min(this.ceiling, options.minRequestsPerSecond ?? 1);
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.stats = { attempts: 0, throttled: 0, retries: 0, rate: this.ceiling };
  }

  /** The SDK's retry strategy (RetryStrategyV2): it sleeps itself and hands back zero-delay tokens. */
  get retryStrategy(): SsoRetryStrategy {
    return {
      acquireInitialRetryToken: async () => {
        await this.takeTurn();
        return token(0);
      },
      refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
        const retry = previous.getRetryCount() + 1;
        if (info.errorType === 'THROTTLING') this.onThrottled();
        // Throwing tells the SDK to stop: it then rejects with the attempt's own error.
        if (info.errorType === 'CLIENT_ERROR' || retry >= this.maxAttempts || this.signal.aborted) {
          throw info.error instanceof Error ? info.error : new Error('retry refused');
        }
        this.stats.retries += 1;
        await this.clock.sleep(this.backoffMs(retry, info.retryAfterHint), this.signal);
        await this.takeTurn();
        return token(retry);
      },
      recordSuccess: () => {
        // Additive increase: about one request per second more for every second of successes.
        this.stats.rate = Math.min(this.ceiling, this.stats.rate + 1 / Math.max(1, this.stats.rate));
      },
    };
  }

  /** Waits for this attempt's slot: slots are 1/rate apart, first come, first served. */
  private async takeTurn(): Promise<void> {
    if (this.signal.aborted) throw new InterruptedError();
    const now = this.clock.now().getTime();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + 1000 / this.stats.rate;
    if (slot > now) await this.clock.sleep(slot - now, this.signal);
    this.stats.attempts += 1;
  }

  private onThrottled(): void {
    this.stats.throttled += 1;
    this.stats.rate = Math.max(this.floor, this.stats.rate / 2);
    // Queued attempts move back too: the slots already handed out were spaced for the old rate.
    this.nextSlotMs = Math.max(this.nextSlotMs, this.clock.now().getTime()) + 1000 / this.stats.rate;
  }

  private backoffMs(retry: number, retryAfterHint: Date | undefined): number {
    const exponential = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (retry - 1));
    const jittered = exponential / 2 + (this.random() * exponential) / 2;
    // The SDK turns Retry-After into a Date on the real clock; its distance from now is what counts.
    const hinted = retryAfterHint ? Math.min(this.maxBackoffMs * 2, retryAfterHint.getTime() - Date.now()) : 0;
    return Math.max(jittered, hinted);
  }
}

function token(retryCount: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => 0 };
}
