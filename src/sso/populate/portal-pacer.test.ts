import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../../test/support/fake-clock.js';
import { PortalPacer } from './portal-pacer.js';

interface Strategy {
  acquireInitialRetryToken(scope: string): Promise<{ getRetryCount(): number; getRetryDelay(): number }>;
  refreshRetryTokenForRetry(
    token: { getRetryCount(): number },
    info: { errorType: string; error?: Error; retryAfterHint?: Date },
  ): Promise<{ getRetryCount(): number; getRetryDelay(): number }>;
  recordSuccess(token: unknown): void;
}

const setup = () => {
  // Sleeps return at once and move time forward; every sleep is recorded.
  const c = fakeClock(0);
  const pacer = new PortalPacer(c, new AbortController().signal, { random: () => 0.5 });
  return { c, pacer, strategy: pacer.retryStrategy as unknown as Strategy };
};

describe('PortalPacer', () => {
  it('spaces attempts evenly at 20 per second, whatever the concurrency', async () => {
    const { c, strategy } = setup();
    // Five at once start 50 ms apart: the first at once, the fifth 200 ms later.
    await Promise.all(Array.from({ length: 5 }, () => strategy.acquireInitialRetryToken('')));
    expect(c.sleeps).toEqual([50, 50, 50, 50]);
    expect(c.nowMs()).toBe(200);
    // One after the other, each waits out the rest of its predecessor's 50 ms.
    const later = setup();
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await later.strategy.acquireInitialRetryToken('');
      starts.push(later.c.nowMs());
      later.c.advance(20); // the request itself
    }
    expect(starts).toEqual([0, 50, 100, 150]);
  });

  it('halves the rate on throttling, backs off with jitter, and wins the rate back on success', async () => {
    const { c, pacer, strategy } = setup();
    const token = await strategy.acquireInitialRetryToken('');
    const error = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const retry = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING', error });
    expect([retry.getRetryCount(), retry.getRetryDelay()]).toEqual([1, 0]);
    expect(pacer.stats).toMatchObject({ throttled: 1, retries: 1, rate: 10, attempts: 2 });
    // 500 ms base with the jitter at its middle (375), then the queue slot at the new rate.
    expect(c.sleeps[0]).toBe(375);
    // About one request per second more for each second of successes: 10 -> 20 takes ~150.
    for (let i = 0; i < 100; i++) strategy.recordSuccess(retry);
    expect(pacer.stats.rate).toBeGreaterThan(17);
    expect(pacer.stats.rate).toBeLessThan(20);
    for (let i = 0; i < 100; i++) strategy.recordSuccess(retry);
    expect(pacer.stats.rate).toBe(20);
  });

  it('waits as long as the Retry-After the SDK parsed, when that is longer', async () => {
    const { c, strategy } = setup();
    const token = await strategy.acquireInitialRetryToken('');
    await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING', retryAfterHint: new Date(Date.now() + 3000) });
    expect(c.sleeps[0]).toBeGreaterThan(2900);
    expect(c.sleeps[0]).toBeLessThanOrEqual(3000);
  });

  it('never retries a client error, and stops after 8 attempts', async () => {
    const { strategy } = setup();
    const denied = new Error('ForbiddenException');
    const token = await strategy.acquireInitialRetryToken('');
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'CLIENT_ERROR', error: denied })).rejects.toBe(denied);
    const busy = new Error('InternalServerException');
    let t = token;
    for (let i = 1; i < 8; i++) t = await strategy.refreshRetryTokenForRetry(t, { errorType: 'SERVER_ERROR', error: busy });
    expect(t.getRetryCount()).toBe(7);
    await expect(strategy.refreshRetryTokenForRetry(t, { errorType: 'SERVER_ERROR', error: busy })).rejects.toBe(busy);
  });
});
