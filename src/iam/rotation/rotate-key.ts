import type { ProfileNamedBy } from '../../aws-files/unknown-profile.js';
import { CreateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws-sdk/aws-clients.js';
import type { FileLockOptions } from '../../aws-files/lock.js';
import type { AwsFilePaths } from '../../aws-files/paths.js';
import type { Clock } from '../../app/clock.js';
import { CancelledError, CredentialsError, InterruptedError, KeyQuotaError, NeedsInputError, RotationFailedError, type CliError } from '../../errors/cli-error.js';
import type { Prompter } from '../../prompt/prompter.js';
import { userError, type AccessKeyInfo } from '../access-keys.js';
import { detachableSignal, throwIfInterrupted } from '../../util/abort.js';
import { applyKeyChange, keyChangeCommand } from '../apply-key-change.js';
import { shellWord } from '../../text/shell-word.js';
import { describeKey } from '../key-report.js';
import { KEYS_PER_USER } from '../key-quota.js';
import type { NewKey } from './key-holders.js';
import { assertFilesWritable, writeNewKey } from './rotation-files.js';
import { describeHolders, planRotation, renderPlan, type OtherKeyAction, type RotationPlan } from './rotation-plan.js';
import { storeNewKey } from './rotation-store.js';
import { openVaultStore, type VaultDeps, type VaultStore, type VaultStoreKind } from '../../vault/vault-store.js';
import { oldKeyLeftInactive } from './rotation-report.js';
import { reasonOf, rollBack, type Progress } from './rotation-rollback.js';
import { waitUntilKeyWorks } from './verify-new-key.js';
import { lockUser } from '../user-lock.js';
import { describeUsers, localKeyUsers } from '../local-key-users.js';
import { warningLine } from '../../app/reporter.js';

export interface RotationContext {
  aws: Pick<AwsClients, 'iam' | 'sts'>;
  clock: Clock;
  prompter: Prompter;
  /**
   * Aborted on Ctrl-C: reads stop at once; a change already sent (create, deactivate, delete) is
   * let finish, as its outcome would otherwise be unknown; then the rotation is rolled back like
   * any failure, and the rollback itself is never cut short.
   */
  signal: AbortSignal;
  /**
   * Runs the part from creating the new key to the end of its rollback, which a forced quit must
   * not cut off (the CLI passes runCritical, which holds off a second Ctrl-C); default: just runs it.
   */
  critical?: (<T>(work: () => Promise<T>, leftBehind: () => string | undefined) => Promise<T>) | undefined;
  paths: AwsFilePaths;
  /** To see whether AWS_ACCESS_KEY_ID holds the other key (local-key-users.ts). */
  env?: NodeJS.ProcessEnv | undefined;
  /** A line for stderr. */
  log(line: string): void;
  /**
   * What a vault profile's store is opened with (docs/vault.md): its key is read there and the new
   * key written there, never into the files. Without it, a vault profile is refused (exit 2).
   */
  vault?: Omit<VaultDeps, 'signal'> | undefined;
}

/** What the steps below rotateAccessKey get besides the caller's context. */
interface RunContext extends RotationContext {
  onUser: ((userName: string) => Promise<void>) | undefined;
  openStore: ((kind: VaultStoreKind) => Promise<VaultStore>) | undefined;
  /** From here on the store's calls no longer take Ctrl-C: a write is let finish, and the undo can write. */
  holdStoreCalls: () => void;
}

export interface RotateOptions {
  profile: string;
  /** How the profile was named (--profile, AWS_PROFILE, or the `default` fallback), for the not-found hint. */
  profileNamedBy?: ProfileNamedBy | undefined;
  /** Checked against the key's owner; the owner is found with sts get-caller-identity. */
  user?: string | undefined;
  /** Delete the user's other key even when it is Active. */
  deleteOther?: boolean | undefined;
  /** Leave the old key Inactive instead of deleting it. */
  keepOld?: boolean | undefined;
  dryRun?: boolean | undefined;
  /** Do not ask before rotating (required without a terminal). */
  yes?: boolean | undefined;
  /** With --delete-other: delete the other key even though a local profile (or AWS_ACCESS_KEY_ID) holds it. */
  evenIfUsed?: boolean | undefined;
}

export type RotationOutcome =
  /** `blocked`: the real rotation would stop with this error (the plan says where); nothing was changed. */
  | { dryRun: true; plan: string; blocked?: CliError | undefined }
  | { dryRun: false; newKeyId: string; oldKeyId: string };

/**
 * Rotates the access key of a profile as a transaction: create a key, wait until it works, write
 * it into every profile holding the old key, deactivate the old key, delete it. A failure or
 * Ctrl-C before the old key is deactivated undoes every step, so each profile keeps a working key,
 * and the error (RotationFailedError, or InterruptedError for Ctrl-C) says exactly what state keys
 * and files are in.
 */
export async function rotateAccessKey(ctx: RotationContext, options: RotateOptions): Promise<RotationOutcome> {
  // The whole transaction runs under the IAM user's lock (user-lock.ts); a dry run changes nothing.
  let unlock: (() => Promise<void>) | undefined;
  const onUser = async (userName: string) => {
    unlock = await lockUser(userName, { credentialsPath: ctx.paths.credentials, clock: ctx.clock, signal: ctx.signal });
  };
  // A vault profile's store: its reads stop at Ctrl-C until the key is created (detachableSignal).
  const store = detachableSignal(ctx.signal);
  const { vault } = ctx;
  const openStore = vault && ((kind: VaultStoreKind) => openVaultStore(kind, { ...vault, signal: store.signal }));
  try {
    return await rotateLocked({ ...ctx, onUser: options.dryRun ? undefined : onUser, openStore, holdStoreCalls: store.detach }, options);
  } finally {
    store.detach();
    await unlock?.();
  }
}

async function rotateLocked(ctx: RunContext, options: RotateOptions): Promise<RotationOutcome> {
  const plan = await planRotation({ ...ctx, probeStore: !options.dryRun }, options.profile, options.user, options.profileNamedBy);
  const now = ctx.clock.now();
  // The other key held by a local profile (or AWS_ACCESS_KEY_ID): deleting it breaks them.
  const otherUsers = plan.other && ctx.env ? await localKeyUsers(plan.other.accessKeyId, ctx.paths, ctx.env) : [];
  if (plan.other && otherUsers.length > 0 && !options.evenIfUsed && (!ctx.prompter.interactive || options.dryRun)) {
    const id = plan.other.accessKeyId;
    const err = new NeedsInputError(
      `IAM user "${plan.userName}" already has ${KEYS_PER_USER} access keys, and the other one, ${id}, is what ${describeUsers(otherUsers)} ${otherUsers.length === 1 ? 'signs' : 'sign'} with: deleting it to make room breaks ${otherUsers.length === 1 ? 'it' : 'them'}; nothing was changed.`,
      {
        // Not "rotate that profile first": its rotation meets this profile's key as its other key.
        hint: `to delete it anyway, pass --delete-other --even-if-used; ${describeUsers(otherUsers)} then ${otherUsers.length === 1 ? 'needs' : 'need'} a new key, or the one this rotation writes`,
      },
    );
    if (!options.dryRun) throw err;
    return { dryRun: true, plan: renderPlan(plan, { otherAction: 'stop', keepOld: options.keepOld ?? false, otherUsers }, ctx.clock.now()), blocked: err };
  }
  const otherAction = decideOtherKey(ctx, plan, options, otherUsers);
  const keepOld = options.keepOld ?? false;
  const stop = otherAction === 'stop' && plan.other ? plan.other : undefined;
  if (options.dryRun) {
    const blocked = stop ? quotaFull(plan, stop, true, otherUsers) : undefined;
    return { dryRun: true, plan: renderPlan(plan, { otherAction, keepOld, otherUsers }, now), blocked };
  }
  if (stop) {
    ctx.log(`IAM user "${plan.userName}" has another access key, and IAM allows ${KEYS_PER_USER}:`);
    ctx.log(`  ${describeKey(stop, now)}`);
    throw quotaFull(plan, stop, false, otherUsers);
  }

  if (!options.yes && !ctx.prompter.interactive) {
    throw new NeedsInputError(`Rotating the key of profile ${plan.profile} needs a confirmation, and there is no terminal to ask.`, {
      hint: 'pass --yes (see the plan first with --dry-run)',
    });
  }
  if (!options.yes) ctx.log(renderPlan(plan, { otherAction, keepOld, otherUsers }, now).trimEnd());
  if (otherAction === 'ask' && plan.other) {
    await confirmDeleteOther(ctx, plan, plan.other, otherUsers, options.yes ?? false);
  } else if (!options.yes) {
    const go = await ctx.prompter.confirm({ name: 'rotate.confirm', message: 'Rotate now?', flag: '--yes', default: false });
    if (!go) throw new CancelledError(`Not confirmed; nothing was changed.`);
  }

  await assertFilesWritable(plan.files);
  throwIfInterrupted(ctx.signal, 'Interrupted; nothing was changed.');
  const oldIam = await ctx.aws.iam({ credentials: plan.oldKey });
  if (plan.other) {
    await applyKeyChange(oldIam, 'delete', { userName: plan.userName, accessKeyId: plan.other.accessKeyId });
    ctx.log(`Deleted the other access key ${plan.other.accessKeyId} (${plan.other.status}) of IAM user "${plan.userName}" to make room.`);
  }
  return runRotation(ctx, plan, oldIam, keepOld);
}

/**
 * The user's other key: delete it, ask first, or stop (without a terminal and --delete-other). A key
 * a local profile signs with is deleted without its id typed only with --even-if-used, even when
 * it is Inactive (the profile may be waiting for it to be activated again).
 */
function decideOtherKey(ctx: RotationContext, plan: RotationPlan, options: RotateOptions, otherUsers: readonly string[]): OtherKeyAction | undefined {
  const other = plan.other;
  if (!other) return undefined;
  if (otherUsers.length > 0 && !options.evenIfUsed) return ctx.prompter.interactive ? 'ask' : 'stop';
  if (other.status === 'Inactive' || options.deleteOther) return 'delete';
  return ctx.prompter.interactive ? 'ask' : 'stop';
}

function quotaFull(plan: RotationPlan, other: AccessKeyInfo, dryRun: boolean, otherUsers: readonly string[]): KeyQuotaError {
  const head = `IAM user "${plan.userName}" already has ${KEYS_PER_USER} access keys and the other one, ${other.accessKeyId}, is Active`;
  const command = `awskeys iam rotate --profile ${shellWord(plan.profile)} --delete-other${otherUsers.length > 0 ? ' --even-if-used' : ''} --yes`;
  const when = otherUsers.length > 0 ? `if ${describeUsers(otherUsers)} no longer ${otherUsers.length === 1 ? 'needs' : 'need'} it` : `if nothing uses ${other.accessKeyId}`;
  return new KeyQuotaError(dryRun ? `${head}, so the rotation would stop at step 1; nothing was changed (--dry-run).` : `${head}; nothing was changed.`, {
    hint: `${when}, run: ${command}`,
  });
}

async function confirmDeleteOther(
  ctx: RotationContext,
  plan: RotationPlan,
  other: AccessKeyInfo,
  users: readonly string[],
  showKey: boolean,
): Promise<void> {
  const id = other.accessKeyId;
  if (showKey) {
    ctx.log(`IAM user "${plan.userName}" has another access key, and IAM allows ${KEYS_PER_USER}:`);
    ctx.log(`  ${describeKey(other, ctx.clock.now())}`);
  }
  const held =
    users.length === 0
      ? ''
      : `${id} is what ${describeUsers(users)} ${users.length === 1 ? 'signs' : 'sign'} with: deleting it breaks ${users.length === 1 ? 'it' : 'them'}. `;
  const typed = await ctx.prompter.input({
    name: 'rotate.delete-other',
    message: `${held}IAM allows ${KEYS_PER_USER} keys: type ${id} to delete the other key${held ? ' anyway' : ''} and rotate, or press Enter to stop:`,
    flag: users.length === 0 ? '--delete-other' : '--delete-other --even-if-used',
    validate: (value) => (value.trim() === '' || value.trim() === id ? undefined : `Type ${id} exactly, or press Enter to stop.`),
  });
  if (typed.trim() !== id) {
    throw new KeyQuotaError(`The other access key ${id} of IAM user "${plan.userName}" was kept, so there is no room for a new key; nothing was changed.`, {
      hint: `delete it first: ${keyChangeCommand('delete', { userName: plan.userName, accessKeyId: id }, plan.profile)}`,
    });
  }
}

async function runRotation(ctx: RunContext, plan: RotationPlan, oldIam: IAMClient, keepOld: boolean): Promise<RotationOutcome> {
  const lock: FileLockOptions = { clock: ctx.clock };
  const progress: Progress = { step: 'create', changes: [] };
  const oldKeyId = plan.oldKey.accessKeyId;
  const critical = ctx.critical ?? (<T>(work: () => Promise<T>) => work());
  const done = await critical(
    async () => {
      ctx.holdStoreCalls();
      try {
        return await switchToNewKey(ctx, plan, oldIam, progress, lock);
      } catch (err) {
        throw await rollBack(ctx, plan, oldIam, progress, err, lock);
      }
    },
    () => leftBehind(plan, progress),
  );

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
      const options = { hint: `delete it: ${deleteOld}`, cause: err };
      if (err instanceof InterruptedError) throw new InterruptedError(oldKeyLeftInactive(plan.profile, oldKeyId, newKeyId, undefined), options);
      throw new RotationFailedError(oldKeyLeftInactive(plan.profile, oldKeyId, newKeyId, reasonOf(err)), options);
    }
  }
  ctx.log(`Rotated profile ${plan.profile}: ${oldKeyId} -> ${newKeyId}.`);
  return { dryRun: false, newKeyId, oldKeyId };
}

/**
 * The reversible part: every step records itself in `progress` before it can fail, and Ctrl-C is
 * checked after each step and before the next one is recorded, so an interruption is reported at
 * the step that was running when Ctrl-C was pressed.
 */
async function switchToNewKey(
  ctx: RotationContext,
  plan: RotationPlan,
  oldIam: IAMClient,
  progress: Progress,
  lock: FileLockOptions,
): Promise<{ newKey: NewKey; newIam: IAMClient }> {
  const oldKeyId = plan.oldKey.accessKeyId;
  stopIfInterrupted(ctx);
  progress.createSent = true;
  const { key: newKey, createDate } = await createKey(oldIam, plan.userName);
  progress.newKey = newKey;
  progress.createDate = createDate;
  ctx.log(`Created access key ${newKey.accessKeyId} for IAM user "${plan.userName}".`);
  stopIfInterrupted(ctx);

  progress.step = 'verify';
  const tries = await waitUntilKeyWorks(ctx, newKey, plan.arn);
  ctx.log(`It works: sts get-caller-identity answers as ${plan.arn}${tries > 1 ? ` (after ${tries} tries)` : ''}.`);
  stopIfInterrupted(ctx);

  if (plan.store) {
    // Recorded before the write: a write that fails (or whose outcome is unknown) is put back too.
    progress.step = 'store';
    progress.storeWritten = true;
    await storeNewKey(plan.store, newKey, plan.userName, progress.createDate);
    ctx.log(`Wrote it into profile ${plan.profile} in ${plan.store.store.location}, and read it back.`);
    stopIfInterrupted(ctx);
  }

  if (plan.files.length > 0) {
    progress.step = 'write';
    // A wait for a file's lock writes nothing, so Ctrl-C cuts it short (the restore never is).
    await writeNewKey(plan.files, oldKeyId, newKey, progress.changes, { ...lock, signal: ctx.signal });
    if (!plan.store && !progress.changes.some((c) => c.replaced.some((h) => h.profile === plan.profile))) {
      throw new Error(`profile ${plan.profile} no longer holds ${oldKeyId} (the file changed meanwhile)`);
    }
    if (progress.changes.length > 0) ctx.log(`Wrote it into ${describeHolders(progress.changes.map((c) => ({ ...c, holders: c.replaced })))}.`);
    for (const warning of progress.changes.flatMap((c) => c.warnings)) ctx.log(warningLine(warning));
  }
  const newIam = await ctx.aws.iam({ credentials: newKey });
  stopIfInterrupted(ctx);

  progress.step = 'deactivate';
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
  throwIfInterrupted(ctx.signal);
}

async function createKey(iam: IAMClient, userName: string): Promise<{ key: NewKey; createDate: string | undefined }> {
  try {
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const key = out.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('CreateAccessKey returned no key');
    return { key: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, createDate: key.CreateDate?.toISOString() };
  } catch (err) {
    throw userError(err, userName, 'CreateAccessKey');
  }
}

/** What ending the process now would leave behind (said by a forced quit). */
function leftBehind(plan: RotationPlan, progress: Progress): string | undefined {
  const user = plan.userName;
  const list = `check: awskeys iam list-keys --profile ${shellWord(plan.profile)}`;
  const key = progress.newKey;
  if (!key) {
    return progress.createSent ? `IAM may have created a new key for IAM user "${user}" whose secret is stored nowhere; ${list}` : undefined;
  }
  const del = keyChangeCommand('delete', { userName: user, accessKeyId: key.accessKeyId }, plan.profile);
  if (progress.storeWritten) {
    return `${plan.store?.store.location ?? 'the vault'} may hold the new key ${key.accessKeyId} of IAM user "${user}" for profile ${plan.profile} and the old key ${plan.oldKey.accessKeyId} may be Inactive; ${list}`;
  }
  if (progress.changes.length === 0) return `the new key ${key.accessKeyId} of IAM user "${user}" may be left Active and stored nowhere; delete it: ${del}`;
  return `the files may hold the new key ${key.accessKeyId} of IAM user "${user}" and the old key ${plan.oldKey.accessKeyId} may be Inactive; ${list}`;
}
