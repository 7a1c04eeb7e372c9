import { join } from 'node:path';
import { LockTimeoutError, withFileLock } from '../aws-files/lock.js';
import { sha1HexUtf8 } from '../util/sha1.js';
import type { ResolveDeps } from './resolved.js';

/**
 * How long a run waits for another one's MFA prompt: the person at it may take a while (three
 * tries at most, each waiting for the device's next code), and then this run asks itself.
 */
export const MFA_PROMPT_WAIT_MS = 5 * 60 * 1000;

/** The lock file's path (without `.lock`) for MFA device `serial`, beside the MFA session cache. */
export function mfaPromptLockPath(sessionCacheDir: string, serial: string): string {
  return join(sessionCacheDir, `mfa-device-${sha1HexUtf8(serial)}`);
}

/**
 * Runs `askAndCache` (check the cache again, ask a code, call STS with it, cache the result) as
 * the only awskeys doing so for MFA device `serial`: a TOTP code is good for one call, so two
 * runs that asked at once would have one of them fail. A second run waits for the first one's
 * prompt, saying so on stderr, and then finds its result in the cache; Ctrl-C stops the wait.
 * The lock is the AWS files' (aws-files/lock.ts): a live holder's lock is never broken, a dead
 * one's at once (D24). Keyed by the device alone, whatever the profile or key: the device's codes
 * are what two prompts would compete for (docs/decisions.md D31).
 */
export async function oneMfaPromptAtATime<T>(
  serial: string,
  sessionCacheDir: string,
  deps: Pick<ResolveDeps, 'clock' | 'signal' | 'report'>,
  askAndCache: () => Promise<T>,
): Promise<T> {
  const path = mfaPromptLockPath(sessionCacheDir, serial);
  let entered = false;
  const run = () => {
    entered = true;
    return askAndCache();
  };
  try {
    return await withFileLock(path, run, { clock: deps.clock, signal: deps.signal, timeoutMs: 0 });
  } catch (err) {
    if (entered || !(err instanceof LockTimeoutError)) throw err;
    const who = err.holder ? ` (process ${err.holder.pid})` : '';
    deps.report.info(`Another awskeys${who} is asking for a code from MFA device ${serial}: waiting for it, to use what it gets (Ctrl-C stops).`);
  }
  return withFileLock(path, run, { clock: deps.clock, signal: deps.signal, timeoutMs: MFA_PROMPT_WAIT_MS });
}
