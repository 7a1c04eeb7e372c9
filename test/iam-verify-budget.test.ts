import { afterEach, describe, expect, it } from 'vitest';
import { sdkClients } from '../src/aws-sdk/aws-clients.js';
import { systemClock } from '../src/app/clock.js';
import { RotationFailedError } from '../src/errors/cli-error.js';
import { waitUntilKeyWorks, type VerifyBudget } from '../src/iam/rotation/verify-new-key.js';
import { createKey, createUser, motoEnv } from './iam-fixtures.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';

/**
 * The check of a rotation's new key keeps to its stated total even when STS hangs: each try has
 * its own timeout, cut to what is left, and the message gives the time really spent. (Without
 * per-try timeouts a hanging STS took 782 s against a promised 60 s.) A small budget, real time.
 */

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
});

const BUDGET: VerifyBudget = { totalMs: 3000, tryMs: 1000, minTryMs: 500, backoffMs: [200, 400, 800, 1600] };

describe('waitUntilKeyWorks against an STS that never answers', () => {
  it('gives up within the total, with progress on the way and the real time spent in the message', async () => {
    const user = await createUser('hang');
    const key = await createKey(user);
    proxy = await startFaultProxy(motoEnv().AWS_ENDPOINT_URL_STS ?? '');
    proxy.faults.push({ action: 'GetCallerIdentity', effect: 'delay', delayMs: 20_000 });
    const env = { ...motoEnv(), AWS_ENDPOINT_URL_STS: proxy.url };
    const lines: string[] = [];
    const started = Date.now();

    const err = await waitUntilKeyWorks(
      { aws: sdkClients({ env, homeDir: '/nonexistent' }), clock: systemClock, signal: new AbortController().signal, log: (l) => lines.push(l), budget: BUDGET },
      key,
      `arn:aws:iam::123456789012:user/${user}`,
    ).catch((e: unknown) => e);
    const tookMs = Date.now() - started;

    expect(err).toBeInstanceOf(RotationFailedError);
    expect((err as Error).message).toBe('it still did not work after 2 tries in 2 s (no answer within 1 s)');
    expect(lines).toEqual(['The new key does not work yet (no answer within 1 s); trying again in 0.2 s (1 s of at most 3 s so far).']);
    expect(tookMs).toBeLessThan(BUDGET.totalMs + 500);
  });
});
