import type { Clock } from '../../src/app/clock.js';
import { InterruptedError } from '../../src/errors/cli-error.js';

export interface FakeClock extends Clock {
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
  readonly nowMs: () => number;
  advance(ms: number): void;
}

/**
 * A clock whose sleeps return at once and move time forward. Hand `nowMs` to the emulator as its
 * `now` so both sides agree on intervals and expiries. `onSleep` runs before each sleep returns
 * (e.g. to approve or deny a code, or abort, at a precise point of the poll loop).
 */
export function fakeClock(startMs = Date.parse('2026-06-01T12:00:00Z'), onSleep?: (ms: number) => void): FakeClock {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    nowMs: () => now,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(new InterruptedError());
      sleeps.push(ms);
      now += ms;
      onSleep?.(ms);
      return signal?.aborted ? Promise.reject(new InterruptedError()) : Promise.resolve();
    },
  };
}
