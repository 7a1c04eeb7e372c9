import {
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { NotFoundError, UsageError } from '../errors/cli-error.js';
import { abortable, interruption } from '../util/abort.js';

export type AccessKeyStatus = 'Active' | 'Inactive' | (string & {});

/** One of a user's access keys, as ListAccessKeys reports it. */
export interface AccessKeySummary {
  accessKeyId: string;
  userName: string;
  status: AccessKeyStatus;
  createdAt: Date;
}

export interface KeyLastUse {
  at: Date;
  service: string;
  region: string;
}

/** A key with its last use; `lastUsed` is undefined for a key that was never used. */
export interface AccessKeyInfo extends AccessKeySummary {
  lastUsed: KeyLastUse | undefined;
}

/**
 * The IAM user whose keys to manage: `user` when given, else the owner of the signing credentials
 * (GetUser without UserName), which only works for IAM user credentials. `signal` (Ctrl-C) cuts
 * the call short with an InterruptedError.
 */
export async function resolveUserName(iam: IAMClient, user: string | undefined, signal?: AbortSignal): Promise<string> {
  if (user !== undefined) return user;
  try {
    const out = await iam.send(new GetUserCommand({}), abortable(signal));
    const name = out.User?.UserName;
    if (!name) throw new Error('GetUser returned no user name');
    return name;
  } catch (err) {
    const interrupted = interruption(err, signal);
    if (interrupted) throw interrupted;
    if (isNotUserCredentials(err)) {
      throw new UsageError('The source credentials are not an IAM user\'s (a role or federated session), so there is no "own user".', {
        hint: 'pass --user NAME',
        cause: err,
      });
    }
    throw toCliError(err, 'Find your IAM user (GetUser)');
  }
}

/** ListAccessKeys for one user, oldest first. An unknown user is a NotFoundError naming it. */
export async function listAccessKeys(iam: IAMClient, userName: string, signal?: AbortSignal): Promise<AccessKeySummary[]> {
  const keys: AccessKeySummary[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await iam.send(new ListAccessKeysCommand({ UserName: userName, Marker: marker }), abortable(signal));
      for (const meta of page.AccessKeyMetadata ?? []) {
        if (!meta.AccessKeyId) continue;
        keys.push({
          accessKeyId: meta.AccessKeyId,
          userName: meta.UserName ?? userName,
          status: meta.Status ?? 'Unknown',
          createdAt: meta.CreateDate ?? new Date(0),
        });
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
  } catch (err) {
    throw userError(err, userName, 'List access keys', signal);
  }
  return keys.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Adds each key's last use (one GetAccessKeyLastUsed per key, run together). */
export async function withLastUse(iam: IAMClient, keys: readonly AccessKeySummary[], signal?: AbortSignal): Promise<AccessKeyInfo[]> {
  return Promise.all(
    keys.map(async (key) => {
      try {
        const out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId }), abortable(signal));
        const used = out.AccessKeyLastUsed;
        // A never-used key has no date, and "N/A" for service and region.
        const lastUsed = used?.LastUsedDate
          ? { at: used.LastUsedDate, service: used.ServiceName ?? 'N/A', region: used.Region ?? 'N/A' }
          : undefined;
        return { ...key, lastUsed };
      } catch (err) {
        throw interruption(err, signal) ?? toCliError(err, `Get the last use of access key ${key.accessKeyId}`);
      }
    }),
  );
}

/** Whole days since `since`. */
export function ageInDays(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

export const DAY_MS = 86_400_000;

/**
 * NoSuchEntity on a call naming `userName` means the user is gone: say so plainly. A failure
 * caused by Ctrl-C (`signal` aborted) is an InterruptedError.
 */
export function userError(err: unknown, userName: string, action: string, signal?: AbortSignal): Error {
  const interrupted = interruption(err, signal);
  if (interrupted) return interrupted;
  const cliError = toCliError(err, action);
  if (cliError instanceof NotFoundError && /\buser\b/i.test((err as Error).message)) {
    return new NotFoundError(`IAM user "${userName}" does not exist.`, {
      hint: 'check the name with: aws iam list-users',
      cause: err,
    });
  }
  return cliError;
}

function isNotUserCredentials(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e.name === 'ValidationError' && /userName|non-User/i.test(e.message ?? '');
}
