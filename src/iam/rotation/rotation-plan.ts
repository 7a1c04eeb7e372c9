import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients, StaticCredentials } from '../../aws-sdk/aws-clients.js';
import { toCliError } from '../../aws-sdk/aws-errors.js';
import type { AwsFilePaths } from '../../aws-files/paths.js';
import { unknownProfileError, type ProfileNamedBy } from '../../aws-files/unknown-profile.js';
import { getProfile, readAwsFiles, type AwsFiles } from '../../aws-files/profiles.js';
import { CredentialsError, NotFoundError, UsageError, UserBusyError } from '../../errors/cli-error.js';
import { isSsoProfile } from '../../sso/sso-profile.js';
import { listAccessKeys, withLastUse, type AccessKeyInfo } from '../access-keys.js';
import { abortable, interruption } from '../../util/abort.js';
import { shellWord } from '../../text/shell-word.js';
import { ago, describeKey } from '../key-report.js';
import { describeUsers } from '../local-key-users.js';
import { sectionsHoldingKey, type KeyHolder } from './key-holders.js';
import type { KeyFile } from './rotation-files.js';
import { VERIFY_BUDGET } from './verify-new-key.js';
import { vaultStoreOf } from '../../vault/vault-marker.js';
import type { VaultStore, VaultStoreKind } from '../../vault/vault-store.js';
import { storeHolder, type StoreHolder } from './rotation-store.js';

export interface PlanContext {
  aws: Pick<AwsClients, 'iam' | 'sts'>;
  paths: AwsFilePaths;
  /** Ctrl-C: every call here only reads, so it is cut short at once. */
  signal: AbortSignal;
  /**
   * Called once the key's IAM user is known and before the user's keys are read: the rotation
   * takes the user's lock here (user-lock.ts), so the rest of the plan is read under it.
   */
  onUser?: ((userName: string) => Promise<void>) | undefined;
  /**
   * Opens the store of a vault profile (`awskeys_vault`), whose key is read there; without it a
   * vault profile is refused like any credential_process profile.
   */
  openStore?: ((kind: VaultStoreKind) => Promise<VaultStore>) | undefined;
  /** Probe the vault profile's store before anything else is asked (not for a dry run, which writes nothing). */
  probeStore?: boolean | undefined;
}

/** Everything the rotation will do, found with read-only calls. */
export interface RotationPlan {
  profile: string;
  oldKey: Required<Pick<StaticCredentials, 'accessKeyId' | 'secretAccessKey'>>;
  /** The IAM user's ARN, as GetCallerIdentity answers for the old key. */
  arn: string;
  userName: string;
  /** The files holding the old key id, and the profiles in each. */
  files: (KeyFile & { holders: KeyHolder[] })[];
  /** A vault profile's store item, which holds its key instead of the files. */
  store?: StoreHolder | undefined;
  /** The user's other key, when there is one (it takes the second of IAM's two slots). */
  other: AccessKeyInfo | undefined;
}

/**
 * Reads the profile's static key, asks STS whose it is (signed with that key, so a user can rotate
 * their own key), lists the user's keys and finds every profile holding the same key id. Makes
 * no change anywhere.
 */
export async function planRotation(ctx: PlanContext, profile: string, user: string | undefined, namedBy: ProfileNamedBy = 'flag'): Promise<RotationPlan> {
  let files = await readAwsFiles(ctx.paths);
  const store = await vaultHolder(ctx, files, profile);
  const oldKey = store ? keyOfItem(store) : staticKeyOf(files, profile, namedBy);
  const arn = await callerArn(ctx, oldKey, profile);
  const owner = iamUserOf(arn);
  if (owner === undefined) {
    throw new UsageError(`The key of profile ${profile} (${oldKey.accessKeyId}) is not an IAM user's access key: it signs as ${arn}.`, {
      hint: 'awskeys rotates IAM user access keys; rotate root keys in the AWS console',
    });
  }
  if (user !== undefined && user !== owner) {
    throw new UsageError(`The key of profile ${profile} (${oldKey.accessKeyId}) belongs to IAM user "${owner}", not "${user}".`, {
      hint: `drop --user, or pass --user ${shellWord(owner)}`,
    });
  }
  if (ctx.onUser) {
    await ctx.onUser(owner);
    // Another run may have rotated this profile before we got the lock: read the files again.
    files = await readAwsFiles(ctx.paths);
    const now = store ? (await storeHolder(store.store, profile, false)).previous.key.accessKeyId : staticKeyOf(files, profile).accessKeyId;
    if (now !== oldKey.accessKeyId) {
      throw new UserBusyError(`Profile ${profile} was changed while this rotation started (it now holds ${now}, not ${oldKey.accessKeyId}); nothing was changed.`, {
        hint: `see it now: awskeys iam rotate --profile ${shellWord(profile)} --dry-run`,
      });
    }
  }
  const iam = await ctx.aws.iam({ credentials: oldKey });
  const keys = await listAccessKeys(iam, owner, ctx.signal);
  if (!keys.some((k) => k.accessKeyId === oldKey.accessKeyId)) {
    throw new NotFoundError(`Access key ${oldKey.accessKeyId} of profile ${profile} is not among IAM user "${owner}"'s keys.`, {
      hint: `see them with: awskeys iam list-keys --user ${shellWord(owner)}`,
    });
  }
  const others = keys.filter((k) => k.accessKeyId !== oldKey.accessKeyId);
  const [other] = others.length === 0 ? [undefined] : await withLastUse(iam, others, ctx.signal);
  const found = keyFiles(files, oldKey.accessKeyId);
  if (store) refusePlaintextCopy(found, store);
  return { profile, oldKey, arn, userName: owner, files: found, other, ...(store ? { store } : {}) };
}

/** The vault profile's item (its store probed first, for a real run); undefined for any other profile. */
async function vaultHolder(ctx: PlanContext, files: AwsFiles, profile: string): Promise<StoreHolder | undefined> {
  const kind = vaultStoreOf(getProfile(files, profile));
  if (kind === undefined || !ctx.openStore) return undefined;
  return storeHolder(await ctx.openStore(kind), profile, ctx.probeStore ?? false);
}

function keyOfItem(holder: StoreHolder): RotationPlan['oldKey'] {
  const { accessKeyId, secretAccessKey } = holder.previous.key;
  return { accessKeyId, secretAccessKey };
}

/**
 * A vault profile whose own section in the AWS files still holds its key (a `vault move` that was
 * stopped before removing the plaintext copy): botocore reads that copy ahead of
 * credential_process, so after the rotation it would sign with a deleted key, and writing the new
 * key there would put it in plaintext. The move is finished first.
 */
function refusePlaintextCopy(files: RotationPlan['files'], holder: StoreHolder): void {
  const copy = files.find((f) => f.holders.some((h) => h.profile === holder.profile));
  if (!copy) return;
  throw new UsageError(
    `Profile ${holder.profile} keeps its key in the vault (${holder.store.kind}), but ${copy.path} still holds a plaintext copy of it (a vault move that was stopped); nothing was changed.`,
    { hint: `finish the move first: awskeys vault move --profile ${shellWord(holder.profile)} --to ${holder.store.kind}` },
  );
}

function staticKeyOf(files: AwsFiles, profile: string, namedBy: ProfileNamedBy = 'flag'): RotationPlan['oldKey'] {
  const values = getProfile(files, profile);
  if (!values) throw unknownProfileError(profile, files.paths, namedBy);
  const accessKeyId = values.aws_access_key_id;
  const secretAccessKey = values.aws_secret_access_key;
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    const kind = isSsoProfile(values)
      ? 'an SSO profile: IAM Identity Center hands it short-lived credentials'
      : values.role_arn !== undefined
        ? 'a role profile (role_arn): its credentials are temporary'
        : values.credential_process !== undefined
          ? 'a credential_process profile'
          : 'a profile without access keys';
    throw new UsageError(`Profile ${profile} is ${kind}, so it holds no access key to rotate.`, {
      hint: 'rotate a profile that has aws_access_key_id; see them with: awskeys iam audit --offline',
    });
  }
  if (!accessKeyId || !secretAccessKey) {
    const missing = accessKeyId ? 'aws_secret_access_key' : 'aws_access_key_id';
    throw new CredentialsError(`Profile ${profile} has only half a key pair: ${missing} is missing or empty.`, {
      hint: `set both aws_access_key_id and aws_secret_access_key for profile ${profile}`,
    });
  }
  if (values.aws_session_token !== undefined) {
    throw new UsageError(`Profile ${profile} holds temporary credentials (it has aws_session_token), not a long-lived access key.`, {
      hint: 'temporary credentials expire on their own; there is nothing to rotate',
    });
  }
  return { accessKeyId, secretAccessKey };
}

async function callerArn(ctx: PlanContext, key: StaticCredentials, profile: string): Promise<string> {
  try {
    const sts = await ctx.aws.sts({ credentials: key });
    const out = await sts.send(new GetCallerIdentityCommand({}), abortable(ctx.signal));
    if (!out.Arn) throw new Error('GetCallerIdentity returned no ARN');
    return out.Arn;
  } catch (err) {
    throw interruption(err, ctx.signal) ?? toCliError(err, `Check the key of profile ${profile} (sts get-caller-identity)`);
  }
}

/** The user name in `arn:PARTITION:iam::ACCOUNT:user/[PATH/]NAME`; undefined for any other ARN. */
export function iamUserOf(arn: string): string | undefined {
  return /^arn:[\w-]+:iam::\d{12}:user\/(?:[^/]*\/)*([^/]+)$/.exec(arn)?.[1];
}

function keyFiles(files: AwsFiles, keyId: string): RotationPlan['files'] {
  const found: RotationPlan['files'] = [];
  for (const kind of ['credentials', 'config'] as const) {
    const holders = sectionsHoldingKey(files[kind], kind, keyId).map(({ section, profile }) => ({ section, profile }));
    if (holders.length > 0) found.push({ kind, path: files.paths[kind], holders });
  }
  return found;
}

/**
 * What happens to the other key, decided after planning: delete it, ask for its id on a terminal,
 * or stop (an Active key, without --delete-other and without a terminal).
 */
export type OtherKeyAction = 'delete' | 'ask' | 'stop';

/** The plan as numbered steps, for --dry-run (stdout) and the confirmation (stderr). */
export function renderPlan(
  plan: RotationPlan,
  options: { otherAction?: OtherKeyAction | undefined; keepOld: boolean; otherUsers?: readonly string[] | undefined },
  now: Date,
): string {
  const old = plan.oldKey.accessKeyId;
  const steps: string[] = [];
  const other = plan.other;
  const users = options.otherUsers ?? [];
  if (other && users.length > 0 && options.otherAction === 'stop') {
    steps.push(`Would stop: the other key ${other.accessKeyId} is what ${describeUsers(users)} ${users.length === 1 ? 'signs' : 'sign'} with; deleting it to make room would break ${users.length === 1 ? 'it' : 'them'} (pass --delete-other --even-if-used to delete it anyway).`);
  } else if (other && options.otherAction === 'stop') {
    steps.push(`Would stop: the other key ${other.accessKeyId} is ${other.status} (${lastUse(other, now)}); pass --delete-other to delete it first (IAM allows 2 keys per user).`);
  } else if (other) {
    const verb = options.otherAction === 'ask' ? 'Ask you to type its id, then delete' : 'Delete';
    const why = other.status === 'Inactive' ? 'inactive keys count toward the quota of 2' : 'IAM allows 2 keys per user';
    // The profiles that sign with it stop working: the plan says so, also with --even-if-used.
    const breaks = users.length === 0 ? '' : `\n       ${describeUsers(users)} ${users.length === 1 ? 'signs' : 'sign'} with it and will stop working`;
    steps.push(`${verb} the other access key (${why}):\n       ${describeKey(other, now)}${breaks}`);
  }
  const seconds = VERIFY_BUDGET.totalMs / 1000;
  steps.push(
    `Create a new access key for IAM user "${plan.userName}", signed with ${old}.`,
    `Wait until the new key answers sts get-caller-identity as ${plan.arn} (up to ${seconds} s).`,
    `Write it into ${describeTargets(plan)}${plan.store ? ', and read it back' : ''}.`,
    `Deactivate ${old}, signed with the new key.`,
    options.keepOld ? `Leave ${old} Inactive (--keep-old).` : `Delete ${old}.`,
  );
  const head = `Rotate access key ${old} of profile ${plan.profile} (IAM user "${plan.userName}"):\n`;
  return head + steps.map((s, i) => `  ${i + 1}. ${s}\n`).join('');
}

/** "last used 2025-06-01, today, sts, us-east-1" or "never used" */
function lastUse(key: AccessKeyInfo, now: Date): string {
  const used = key.lastUsed;
  return used ? `last used ${used.at.toISOString().slice(0, 10)}, ${ago(used.at, now)}, ${used.service}, ${used.region}` : 'never used';
}

/** "profile a and profile b in PATH, and profile c in PATH2" */
export function describeHolders(files: readonly (KeyFile & { holders: readonly KeyHolder[] })[]): string {
  return files
    .map((f) => `${list(f.holders.map((h) => `profile ${h.profile}`))} in ${f.path}`)
    .join('; and ');
}

/** Where the new key goes: the vault profile's store item first, then the files' profiles. */
export function describeTargets(plan: Pick<RotationPlan, 'files' | 'store'>): string {
  const store = plan.store ? `profile ${plan.store.profile} in ${plan.store.store.location}` : undefined;
  const files = plan.files.length > 0 ? describeHolders(plan.files) : undefined;
  return [store, files].filter((part) => part !== undefined).join('; and ');
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
