import { dirname, join } from 'node:path';
import { LockTimeoutError, withFileLock } from '../aws-files/lock.js';
import type { Clock } from '../app/clock.js';
import { UserBusyError } from '../errors/cli-error.js';

/**
 * One rotation or key creation per IAM user at a time. Two runs for the same user (a cron
 * rotation and a manual one, or a rotation and a create-key) would each see the other's new key as
 * "the other key" and delete it, then report a state that is no longer true. The lock sits beside
 * the AWS files' own locks (same file lock, same liveness rules: a lock whose process is gone is
 * broken at once, one from another machine once its heartbeat has stopped; a live holder's is
 * never broken, however long its transaction takes), and is held for the whole transaction; a
 * second run does not wait on a plan made before the first one changed the keys: it stops at
 * once, changing nothing (exit 16).
 */

export interface UserLockOptions {
  /** The credentials file: the lock sits in its folder. */
  credentialsPath: string;
  clock: Clock;
  signal?: AbortSignal | undefined;
}

/** The lock file's path (without `.lock`) for `userName`. */
export function userLockPath(credentialsPath: string, userName: string): string {
  return join(dirname(credentialsPath), `awskeys-iam-user-${encodeURIComponent(userName)}`);
}

/**
 * Takes the user's lock and resolves with its release, or throws UserBusyError when another live
 * awskeys holds it.
 */
export function lockUser(userName: string, options: UserLockOptions): Promise<() => Promise<void>> {
  const path = userLockPath(options.credentialsPath, userName);
  return new Promise((resolve, reject) => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const held = withFileLock(
      path,
      async () => {
        resolve(async () => {
          release();
          await held;
        });
        await released;
      },
      { clock: options.clock, signal: options.signal, timeoutMs: 0 },
    );
    held.catch((err: unknown) => {
      if (!(err instanceof LockTimeoutError)) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const who = err.holder ? ` (process ${err.holder.pid} on ${err.holder.host})` : '';
      reject(
        new UserBusyError(`Another awskeys${who} is rotating or creating an access key for IAM user "${userName}"; nothing was changed.`, {
          hint: `run again once it has finished (its lock: ${path}.lock)`,
          cause: err,
        }),
      );
    });
  });
}
