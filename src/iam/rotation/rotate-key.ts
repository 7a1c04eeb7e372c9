import { CreateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws-clients.js';
import type { FileLockOptions } from '../../aws-files/lock.js';
import type { AwsFilePaths } from '../../aws-files/paths.js';
import type { Clock } from '../../clock.js';
import { CredentialsError, InterruptedError, KeyQuotaError, NeedsInputError, RotationFailedError } from '../../errors.js';
import type { Prompter } from '../../prompt/prompter.js';
import { userError, type AccessKeyInfo } from '../access-keys.js';
import { applyKeyChange, keyChangeCommand, shellWord } from '../key-changes.js';
import { describeKey } from '../key-report.js';
import { KEYS_PER_USER } from '../key-quota.js';
import type { NewKey } from './key-holders.js';
import { assertFilesWritable, writeNewKey } from './rotation-files.js';
import { describeHolders, planRotation, renderPlan, type OtherKeyAction, type RotationPlan } from './rotation-plan.js';
import { oldKeyLeftInactive } from './rotation-report.js';
import { reasonOf, rollBack, type Progress } from './rotation-rollback.js';
import { waitUntilKeyWorks } from './verify-new-key.js';

export interface RotationContext {
  aws: Pick<AwsClients, 'iam' | 'sts'>;
  clock: Clock;
  prompter: Prompter;
  /** Aborted on Ctrl-C: the rotation is rolled back like any failure. */
  signal: AbortSignal;
  paths: AwsFilePaths;
  /** A line for stderr. */
  log(line: string): void;
}

export interface RotateOptions {
  profile: string;
  /** Checked against the key's owner; the owner is found with sts get-caller-identity. */
  user?: string | undefined;
  /** Delete the user's other key even when it is Active. */
  deleteOther?: boolean | undefined;
  /** Leave the old key Inactive instead of deleting it. */
  keepOld?: boolean | undefined;
  dryRun?: boolean | undefined;
  /** Do not ask before rotating (required without a terminal). */
  yes?: boolean | undefined;
}

export type RotationOutcome = { dryRun: true; plan: string } | { dryRun: false; newKeyId: string; oldKeyId: string };

/**
 * Rotates the access key of a profile as a transaction: create a key, wait until it works, write
 * it into every profile holding the old key, deactivate the old key, delete it. A failure or
 * Ctrl-C before the old key is deactivated undoes every step, so each profile keeps a working key,
 * and the RotationFailedError says exactly what state keys and files are in.
 */
export async function rotateAccessKey(ctx: RotationContext, options: RotateOptions): Promise<RotationOutcome> {
  const plan = await planRotation(ctx, options.profile, options.user);
  const now = ctx.clock.now();
  const otherAction = decideOtherKey(ctx, plan, options, now);
  const keepOld = options.keepOld ?? false;
  if (options.dryRun) return { dryRun: true, plan: renderPlan(plan, { otherAction, keepOld }, now) };

  if (!options.yes && !ctx.prompter.interactive) {
    throw new NeedsInputError(`Rotating the key of profile ${plan.profile} needs a confirmation, and there is no terminal to ask.`, {
      hint: 'pass --yes (see the plan first with --dry-run)',
    });
  }
  if (!options.yes) ctx.log(renderPlan(plan, { otherAction, keepOld }, now).trimEnd());
  if (otherAction === 'ask' && plan.other) {
    await confirmDeleteOther(ctx, plan, plan.other, options.yes ?? false);
  } else if (!options.yes) {
    const go = await ctx.prompter.confirm({ name: 'rotate.confirm', message: 'Rotate now?', flag: '--yes', default: false });
    if (!go) throw new InterruptedError(`Not confirmed; nothing was changed.`);
  }

  await assertFilesWritable(plan.files);
  if (ctx.signal.aborted) throw new InterruptedError();
  const oldIam = await ctx.aws.iam({ credentials: plan.oldKey });
  if (plan.other) {
    await applyKeyChange(oldIam, 'delete', { userName: plan.userName, accessKeyId: plan.other.accessKeyId });
    ctx.log(`Deleted the other access key ${plan.other.accessKeyId} (${plan.other.status}) of IAM user "${plan.userName}" to make room.`);
  }
  return runRotation(ctx, plan, oldIam, keepOld);
}

/** The user's other key: delete it, ask first, or stop (without a terminal and --delete-other). */
function decideOtherKey(ctx: RotationContext, plan: RotationPlan, options: RotateOptions, now: Date): OtherKeyAction | undefined {
  const other = plan.other;
  if (!other) return undefined;
  if (other.status === 'Inactive' || options.deleteOther) return 'delete';
  if (ctx.prompter.interactive) return 'ask';
  ctx.log(`IAM user "${plan.userName}" has another access key, and IAM allows ${KEYS_PER_USER}:`);
  ctx.log(`  ${describeKey(other, now)}`);
  throw new KeyQuotaError(
    `IAM user "${plan.userName}" already has ${KEYS_PER_USER} access keys and the other one, ${other.accessKeyId}, is Active; nothing was changed.`,
    { hint: `if nothing uses ${other.accessKeyId}, run: awskeys iam rotate --profile ${shellWord(plan.profile)} --delete-other --yes` },
  );
}

async function confirmDeleteOther(ctx: RotationContext, plan: RotationPlan, other: AccessKeyInfo, showKey: boolean): Promise<void> {
  const id = other.accessKeyId;
  if (showKey) {
    ctx.log(`IAM user "${plan.userName}" has another access key, and IAM allows ${KEYS_PER_USER}:`);
    ctx.log(`  ${describeKey(other, ctx.clock.now())}`);
  }
  const typed = await ctx.prompter.input({
    name: 'rotate.delete-other',
    message: `IAM allows ${KEYS_PER_USER} keys: type ${id} to delete the other key and rotate, or press Enter to stop:`,
    flag: '--delete-other',
    validate: (value) => (value.trim() === '' || value.trim() === id ? undefined : `Type ${id} exactly, or press Enter to stop.`),
  });
  if (typed.trim() !== id) {
    throw new KeyQuotaError(`The other access key ${id} of IAM user "${plan.userName}" was kept, so there is no room for a new key; nothing was changed.`, {
      hint: `delete it first: ${keyChangeCommand('delete', { userName: plan.userName, accessKeyId: id }, plan.profile)}`,
    });
  }
}

async function runRotation(ctx: RotationContext, plan: RotationPlan, oldIam: IAMClient, keepOld: boolean): Promise<RotationOutcome> {
  const lock: FileLockOptions = { clock: ctx.clock };
  const progress: Progress = { step: 'create', changes: [] };
  const oldKeyId = plan.oldKey.accessKeyId;
  let done: { newKey: NewKey; newIam: IAMClient };
  try {
    done = await switchToNewKey(ctx, plan, oldIam, progress, lock);
  } catch (err) {
    throw await rollBack(ctx, plan, oldIam, progress, err, lock);
  }

  // Past the point of no return: every profile uses the new key and the old one is Inactive.
  const newKeyId = done.newKey.accessKeyId;
  const deleteOld = keyChangeCommand('delete', { userName: plan.userName, accessKeyId: oldKeyId }, plan.profile);
  if (keepOld) {
    ctx.log(`Left the old key ${oldKeyId} Inactive (--keep-old); once nothing needs it: ${deleteOld}`);
  } else {
    try {
      stopIfInterrupted(ctx);
      await applyKeyChange(done.newIam, 'delete', { userName: plan.userName, accessKeyId: oldKeyId });
      ctx.log(`Deleted the old key ${oldKeyId}.`);
    } catch (err) {
      const reason = err instanceof InterruptedError ? undefined : reasonOf(err);
      throw new RotationFailedError(oldKeyLeftInactive(plan.profile, oldKeyId, newKeyId, reason), { hint: `delete it: ${deleteOld}`, cause: err });
    }
  }
  ctx.log(`Rotated profile ${plan.profile}: ${oldKeyId} -> ${newKeyId}.`);
  return { dryRun: false, newKeyId, oldKeyId };
}

/** The reversible part: every step records itself in `progress` before it can fail. */
async function switchToNewKey(
  ctx: RotationContext,
  plan: RotationPlan,
  oldIam: IAMClient,
  progress: Progress,
  lock: FileLockOptions,
): Promise<{ newKey: NewKey; newIam: IAMClient }> {
  const oldKeyId = plan.oldKey.accessKeyId;
  stopIfInterrupted(ctx);
  const newKey = await createKey(oldIam, plan.userName);
  progress.newKey = newKey;
  ctx.log(`Created access key ${newKey.accessKeyId} for IAM user "${plan.userName}".`);

  progress.step = 'verify';
  const tries = await waitUntilKeyWorks(ctx, newKey, plan.arn);
  ctx.log(`It works: sts get-caller-identity answers as ${plan.arn}${tries > 1 ? ` (after ${tries} tries)` : ''}.`);

  progress.step = 'write';
  stopIfInterrupted(ctx);
  await writeNewKey(plan.files, oldKeyId, newKey, progress.changes, lock);
  if (!progress.changes.some((c) => c.replaced.some((h) => h.profile === plan.profile))) {
    throw new Error(`profile ${plan.profile} no longer holds ${oldKeyId} (the file changed meanwhile)`);
  }
  ctx.log(`Wrote it into ${describeHolders(progress.changes.map((c) => ({ ...c, holders: c.replaced })))}.`);
  for (const warning of progress.changes.flatMap((c) => c.warnings)) ctx.log(`warning: ${warning}`);

  progress.step = 'deactivate';
  stopIfInterrupted(ctx);
  const newIam = await ctx.aws.iam({ credentials: newKey });
  await untilIamKnowsKey(ctx, () => applyKeyChange(newIam, 'deactivate', { userName: plan.userName, accessKeyId: oldKeyId }));
  ctx.log(`Deactivated the old key ${oldKeyId}.`);
  return { newKey, newIam };
}

/**
 * STS accepting the new key does not promise that every IAM endpoint already does: a call signed
 * with it that is refused as unknown is tried again, briefly, before it counts as a failure.
 */
async function untilIamKnowsKey(ctx: RotationContext, call: () => Promise<void>): Promise<void> {
  for (const delay of [...IAM_PROPAGATION_BACKOFF_MS, undefined]) {
    try {
      await call();
      return;
    } catch (err) {
      if (!(err instanceof CredentialsError) || delay === undefined) throw err;
      await ctx.clock.sleep(delay, ctx.signal);
    }
  }
}

const IAM_PROPAGATION_BACKOFF_MS = [1000, 2000, 4000] as const;

function stopIfInterrupted(ctx: RotationContext): void {
  if (ctx.signal.aborted) throw new InterruptedError();
}

async function createKey(iam: IAMClient, userName: string): Promise<NewKey> {
  try {
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const key = out.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('CreateAccessKey returned no key');
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  } catch (err) {
    throw userError(err, userName, 'CreateAccessKey');
  }
}
