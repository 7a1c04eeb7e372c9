import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand, type IAMClient } from '@aws-sdk/client-iam';
import { toCliError } from '../aws-errors.js';
import { CredentialsError, NetworkError } from '../errors.js';
import type { KeyLastUse } from '../iam/access-keys.js';

/** What IAM says about one access key, or why it could not be asked. */
export type KeyFacts =
  | { iam: 'ok'; userName: string; status: string; createdAt: Date | undefined; lastUsed: KeyLastUse | undefined }
  | { iam: 'offline' }
  /** IAM could not be asked (no permission, unreachable): the key may be fine. */
  | { iam: 'unknown'; reason: string }
  /** AWS refused the key itself: whatever uses this profile fails. */
  | { iam: 'rejected'; reason: string };

/**
 * GetAccessKeyLastUsed (which also names the key's user), then ListAccessKeys of that user for the
 * key's status and creation date. Never throws: a failure is part of the answer.
 */
export async function lookUpKey(iam: IAMClient, accessKeyId: string): Promise<KeyFacts> {
  try {
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    const userName = used.UserName ?? '';
    const last = used.AccessKeyLastUsed;
    // A never-used key has no date, and "N/A" for service and region.
    const lastUsed = last?.LastUsedDate
      ? { at: last.LastUsedDate, service: last.ServiceName ?? 'N/A', region: last.Region ?? 'N/A' }
      : undefined;
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: userName || undefined }));
    const meta = listed.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId);
    return { iam: 'ok', userName, status: meta?.Status ?? 'unknown', createdAt: meta?.CreateDate, lastUsed };
  } catch (err) {
    const cliError = toCliError(err, `Look up access key ${accessKeyId}`);
    const name = (err as { name?: string }).name;
    const reason = cliError instanceof NetworkError ? 'cannot reach AWS' : name && name !== 'Error' ? name : cliError.message;
    return cliError instanceof CredentialsError ? { iam: 'rejected', reason } : { iam: 'unknown', reason };
  }
}
