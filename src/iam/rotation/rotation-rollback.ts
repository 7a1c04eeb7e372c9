import type { IAMClient } from '@aws-sdk/client-iam';
import type { FileLockOptions } from '../../aws-files/lock.js';
import { CliError, InterruptedError, RotationFailedError } from '../../errors/cli-error.js';
import { listAccessKeys } from '../access-keys.js';
import { applyKeyChange, keyChangeCommand } from '../apply-key-change.js';
import { shellWord } from '../../text/shell-word.js';
import type { NewKey } from './key-holders.js';
import type { RotationContext } from './rotate-key.js';
import { restoreFiles, type FileChange } from './rotation-files.js';
import type { RotationPlan } from './rotation-plan.js';
import { describeAftermath, failureHead, type Aftermath, type RotationStep } from './rotation-report.js';
import { safeErrorDetail } from '../../text/redact.js';
import { restoreStoreItem } from './rotation-store.js';

/** What has been done so far, so a failure knows what to undo. */
export interface Progress {
  step: RotationStep;
  /** CreateAccessKey was sent: when it failed, it may still have created a key. */
  createSent?: boolean | undefined;
  newKey?: NewKey | undefined;
  /** When IAM created the new key (ISO 8601), for the vault item. */
  createDate?: string | undefined;
  /** The new key was sent to the vault profile's store (written or not: the undo checks). */
  storeWritten?: boolean | undefined;
  changes: FileChange[];
}

/**
 * Undoes what `progress` says was done, in the order that keeps a working key in every profile:
 * the old key back to Active first, then the files, and the new key is deleted only once no file
 * holds it any more. Takes no abort signal: once started, the undo runs to its end. Returns the
 * error to report: an InterruptedError (exit 130) after Ctrl-C, a RotationFailedError (exit 12)
 * after a failure, both saying exactly what state the keys and files are in.
 */
export async function rollBack(
  ctx: RotationContext,
  plan: RotationPlan,
  oldIam: IAMClient,
  progress: Progress,
  err: unknown,
  lock: FileLockOptions,
): Promise<InterruptedError | RotationFailedError> {
  const interrupted = err instanceof InterruptedError || ctx.signal.aborted;
  const reason = interrupted ? undefined : reasonOf(err);
  const newKey = progress.newKey;
  const aftermath: Aftermath = {
    profile: plan.profile,
    oldKeyId: plan.oldKey.accessKeyId,
    newKeyId: newKey?.accessKeyId,
    oldKey: 'active',
    filesWritten: progress.changes.length > 0,
    ...(plan.files.length === 0 ? { noFiles: true } : {}),
    restoreFailures: [],
    newKey: newKey ? 'kept' : 'none',
    otherDeleted: plan.other?.accessKeyId,
  };

  // A creation whose answer was lost (or retried by the SDK) may still have made a key.
  if (progress.createSent && !newKey) aftermath.strayKeys = await strayKeys(oldIam, plan);

  // A deactivation that failed without a clear answer from IAM may still have happened.
  if (progress.step === 'deactivate' && newKey && !isClearRejection(err)) {
    try {
      await applyKeyChange(await ctx.aws.iam({ credentials: newKey }), 'activate', {
        userName: plan.userName,
        accessKeyId: plan.oldKey.accessKeyId,
      });
      aftermath.oldKey = 'reactivated';
    } catch (activateErr) {
      aftermath.oldKey = { unknown: reasonOf(activateErr) };
    }
  }

  if (typeof aftermath.oldKey !== 'object') {
    // The vault profile's item first: it is the profile the user named.
    if (plan.store) {
      const { location } = plan.store.store;
      aftermath.store = { location, restored: false };
      if (progress.storeWritten && newKey) {
        try {
          aftermath.store.restored = (await restoreStoreItem(plan.store, newKey.accessKeyId)) === 'restored';
        } catch (restoreErr) {
          // Which key the item holds is unknown (the write that failed may or may not have landed).
          aftermath.store.unknown = reasonOf(restoreErr);
        }
      }
    }
    const failures = await restoreFiles(progress.changes, newKey?.accessKeyId ?? '', lock);
    aftermath.restoreFailures.push(
      ...failures.map(({ change, error }) => ({
        path: change.path,
        profiles: change.replaced.map((h) => h.profile),
        reason: reasonOf(error),
      })),
    );
    if (newKey && aftermath.restoreFailures.length === 0 && aftermath.store?.unknown === undefined) {
      try {
        await applyKeyChange(oldIam, 'delete', { userName: plan.userName, accessKeyId: newKey.accessKeyId });
        aftermath.newKey = 'deleted';
      } catch (deleteErr) {
        aftermath.newKey = { deleteFailed: reasonOf(deleteErr) };
      }
    }
  }

  const message = `${failureHead(plan.profile, progress.step, reason)} ${describeAftermath(aftermath)}`;
  const options = { hint: hintFor(plan, aftermath), cause: err };
  return interrupted ? new InterruptedError(message, options) : new RotationFailedError(message, options);
}

/** The user's keys besides the old one (and the other one, deleted before): none, normally. */
async function strayKeys(oldIam: IAMClient, plan: RotationPlan): Promise<string[] | { listFailed: string }> {
  try {
    const known = new Set([plan.oldKey.accessKeyId, plan.other?.accessKeyId]);
    return (await listAccessKeys(oldIam, plan.userName)).map((k) => k.accessKeyId).filter((id) => !known.has(id));
  } catch (err) {
    return { listFailed: reasonOf(err) };
  }
}

function hintFor(plan: RotationPlan, a: Aftermath): string {
  if (a.store?.unknown !== undefined && a.newKeyId !== undefined) {
    return `see which key it holds (awskeys vault list), then delete the other: ${keyChangeCommand('delete', { userName: plan.userName, accessKeyId: '<the other id>' }, plan.profile)}`;
  }
  if (typeof a.newKey === 'object' && a.newKeyId !== undefined) {
    return `delete the unused key: ${keyChangeCommand('delete', { userName: plan.userName, accessKeyId: a.newKeyId }, plan.profile)}`;
  }
  const [stray] = Array.isArray(a.strayKeys) ? a.strayKeys : [];
  if (stray !== undefined) {
    return `if nothing else made it, delete it: ${keyChangeCommand('delete', { userName: plan.userName, accessKeyId: stray }, plan.profile)}`;
  }
  if (a.strayKeys !== undefined && !Array.isArray(a.strayKeys)) return `check the keys: awskeys iam list-keys --profile ${shellWord(plan.profile)}`;
  if (typeof a.oldKey === 'object') return `check the keys: awskeys iam list-keys --profile ${shellWord(plan.profile)}`;
  return `see what would happen: awskeys iam rotate --profile ${shellWord(plan.profile)} --dry-run`;
}

/** IAM answered with a client error: the request was refused, so it changed nothing. */
function isClearRejection(err: unknown): boolean {
  const cause = err instanceof CliError ? (err.cause as { $metadata?: { httpStatusCode?: number } } | undefined) : undefined;
  const status = cause?.$metadata?.httpStatusCode ?? (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

/** One line about a failure, with anything credential-like cut out (src/text/redact.ts). */
export function reasonOf(err: unknown): string {
  // A CliError's message was built from already-redacted parts (toCliError): keep it whole.
  return err instanceof CliError ? err.message : safeErrorDetail(err);
}
