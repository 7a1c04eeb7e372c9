import { DeleteAccessKeyCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { NotFoundError, UsageError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';

export type KeyChange = 'activate' | 'deactivate' | 'delete';

export interface KeyRef {
  accessKeyId: string;
  /** Undefined: IAM acts on the signing credentials' own user. */
  userName?: string | undefined;
}

/** Activates, deactivates or deletes one access key. */
export async function applyKeyChange(iam: IAMClient, change: KeyChange, key: KeyRef): Promise<void> {
  try {
    if (change === 'delete') {
      await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: key.accessKeyId, UserName: key.userName }));
    } else {
      const Status = change === 'activate' ? 'Active' : 'Inactive';
      await iam.send(new UpdateAccessKeyCommand({ AccessKeyId: key.accessKeyId, UserName: key.userName, Status }));
    }
  } catch (err) {
    const cliError = toCliError(err, `${VERB[change]} access key ${key.accessKeyId}`);
    // The SDK sent the delete again because an earlier attempt's answer was lost: that attempt
    // deleted the key, so "no such key" now is the outcome asked for, not a failure.
    if (change === 'delete' && cliError instanceof NotFoundError && retried(err) && !/\buser\b/i.test((err as Error).message)) return;
    if (cliError instanceof NotFoundError) {
      const whose = key.userName === undefined ? '' : ` of IAM user "${key.userName}"`;
      const missing = /\buser\b/i.test((err as Error).message)
        ? `IAM user "${key.userName ?? '?'}" does not exist.`
        : `Access key ${key.accessKeyId}${whose} does not exist.`;
      throw new NotFoundError(missing, { hint: `see the keys with: ${listKeysCommand(key.userName)}`, cause: err });
    }
    throw cliError;
  }
}

function retried(err: unknown): boolean {
  return ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
}

export const VERB: Record<KeyChange, string> = { activate: 'Activate', deactivate: 'Deactivate', delete: 'Delete' };

/** Past tense for messages: "Deleted access key ...". */
export const DONE: Record<KeyChange, string> = { activate: 'Activated', deactivate: 'Deactivated', delete: 'Deleted' };

// IAM's own pattern for access key ids ([\w]+, 16 to 128 characters): reject typos before calling.
export function assertAccessKeyId(id: string): void {
  if (!/^\w{16,128}$/.test(id)) {
    throw new UsageError(`"${id}" is not an access key id (16 to 128 letters and digits, like AKIAIOSFODNN7EXAMPLE).`);
  }
}

/** How a source profile given by flag shows up in a command we suggest. */
export function profileFlag(profile: string | undefined): string {
  return profile === undefined ? '' : ` --profile ${shellWord(profile)}`;
}

export function keyChangeCommand(change: KeyChange, key: KeyRef, sourceProfile?: string): string {
  const user = key.userName === undefined ? '' : ` --user ${shellWord(key.userName)}`;
  return `awskeys iam ${change}-key${user} --access-key-id ${key.accessKeyId} --yes${profileFlag(sourceProfile)}`;
}

function listKeysCommand(userName: string | undefined): string {
  return `awskeys iam list-keys${userName === undefined ? '' : ` --user ${shellWord(userName)}`}`;
}

