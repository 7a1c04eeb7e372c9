import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand, type IAMClient } from '@aws-sdk/client-iam';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { CredentialsError, NetworkError, NotFoundError } from '../errors/cli-error.js';
import type { KeyLastUse } from '../iam/access-keys.js';

/** What IAM says about one access key, or why it could not be asked. */
export type KeyFacts =
  | {
      iam: 'ok';
      userName: string;
      status: string;
      createdAt: Date | undefined;
      lastUsed: KeyLastUse | undefined;
      /** The audit's own calls were signed with this key, and IAM counts them as a use. */
      lastUseIncludesAudit: boolean;
    }
  | { iam: 'offline' }
  /** IAM could not be asked (no permission, unreachable): the key may be fine. */
  | { iam: 'unknown'; reason: string; /** The IAM call the asker was not allowed to make. */ deniedCall?: string | undefined }
  /** AWS refused the key itself: whatever uses this profile fails. */
  | { iam: 'rejected'; reason: string };

/** Who asks IAM about a key. */
export interface KeyAsker {
  iam: IAMClient;
  /** 'caller': one identity asks about every key; 'key': each key asks about itself (--each-key). */
  as: 'caller' | 'key';
  /** The access key id the calls are signed with, when known. */
  signedBy: string | undefined;
}

/**
 * GetAccessKeyLastUsed (which also names the key's user), then ListAccessKeys of that user for the
 * key's status and creation date. Never throws: a failure is part of the answer.
 */
export async function lookUpKey(asker: KeyAsker, accessKeyId: string): Promise<KeyFacts> {
  let call = 'GetAccessKeyLastUsed';
  try {
    const used = await asker.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    const userName = used.UserName ?? '';
    const last = used.AccessKeyLastUsed;
    // A never-used key has no date, and "N/A" for service and region.
    const lastUsed = last?.LastUsedDate
      ? { at: last.LastUsedDate, service: last.ServiceName ?? 'N/A', region: last.Region ?? 'N/A' }
      : undefined;
    call = 'ListAccessKeys';
    const listed = await asker.iam.send(new ListAccessKeysCommand({ UserName: userName || undefined }));
    const meta = listed.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId);
    const lastUseIncludesAudit = asker.signedBy === accessKeyId;
    return { iam: 'ok', userName, status: meta?.Status ?? 'unknown', createdAt: meta?.CreateDate, lastUsed, lastUseIncludesAudit };
  } catch (err) {
    return failedLookUp(err, asker, accessKeyId, call);
  }
}

function failedLookUp(err: unknown, asker: KeyAsker, accessKeyId: string, call: string): KeyFacts {
  const cliError = toCliError(err, `Look up access key ${accessKeyId}`);
  const name = (err as { name?: string }).name;
  const who = asker.as === 'caller' ? 'caller' : 'key';
  if (cliError instanceof NetworkError) return { iam: 'unknown', reason: 'cannot reach AWS' };
  if (cliError instanceof CredentialsError) {
    // Refused credentials are the audited key's only when it signed the call.
    if (asker.signedBy === accessKeyId) return { iam: 'rejected', reason: name ?? cliError.message };
    return { iam: 'unknown', reason: `AWS rejected the caller's credentials (${name ?? cliError.message})` };
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return { iam: 'unknown', reason: `${who} may not call iam:${call}`, deniedCall: call };
  }
  if (cliError instanceof NotFoundError && call === 'GetAccessKeyLastUsed') {
    // Deleted, or a key of another account, which one caller cannot see.
    return { iam: 'unknown', reason: asker.as === 'caller' ? "no such key in the caller's account" : 'no such key' };
  }
  return { iam: 'unknown', reason: name && name !== 'Error' ? name : cliError.message };
}
