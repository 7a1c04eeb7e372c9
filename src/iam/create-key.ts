import { CreateAccessKeyCommand, DeleteAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { toCliError } from '../aws-sdk/aws-errors.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import type { Clock } from '../app/clock.js';
import { CliError, FileError, InterruptedError, KeyQuotaError, NeedsInputError, VaultUnavailableError } from '../errors/cli-error.js';
import type { Prompter } from '../prompt/prompter.js';
import { listAccessKeys, resolveUserName, userError } from './access-keys.js';
import { throwIfInterrupted } from '../util/abort.js';
import { keyChangeCommand, profileFlag } from './apply-key-change.js';
import { shellWord } from '../text/shell-word.js';
import {
  type Approval,
  checkDestinations,
  hasDestination,
  profileNameProblem,
  resolvePath,
  storeKey,
  type Destinations,
  type KeyFormat,
  type Stored,
} from './key-destinations.js';
import { chooseRoomForNewKey, KEYS_PER_USER, makeRoom } from './key-quota.js';
import type { KeyStore } from './key-store.js';
import type { VaultProfileTarget } from '../vault/vault-profile-key.js';
import type { VaultStoreKind } from '../vault/vault-store.js';
import { lockUser } from './user-lock.js';

export interface CreateKeyOptions {
  /** IAM user; undefined: the user that owns the source credentials. */
  user?: string | undefined;
  /** Source profile given by flag (only repeated in suggested commands; the client already uses it). */
  sourceProfile?: string | undefined;
  writeProfile?: string | undefined;
  format?: KeyFormat | undefined;
  csvFile?: string | undefined;
  /** Replace an existing CSV file or a profile that already holds a key. */
  force?: boolean | undefined;
  /** `--store`: where the profile's key goes (a vault store, or plaintext in the credentials file). */
  store?: KeyStore | undefined;
  /** AWSKEYS_STORE: the store when --store is not given, and the menu's first choice. */
  defaultStore?: KeyStore | undefined;
}

export interface CreateKeyContext {
  iam: IAMClient;
  prompter: Prompter;
  clock: Clock;
  /** The credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials). */
  credentialsPath: string;
  /** The config file (AWS_CONFIG_FILE or ~/.aws/config): a profile there may be SSO or a role. */
  configPath: string;
  /** Relative --csv-file paths resolve against this. */
  cwd: string;
  /** A line for stderr. */
  log(line: string): void;
  /** Who on this machine signs with a key (local-key-users.ts): named at the quota choice. */
  localUsers?: ((keyId: string) => Promise<string[]>) | undefined;
  /**
   * Aborted on Ctrl-C: reads stop at once; nothing is changed or written after it, and a key
   * created before the interrupt took effect is deleted again.
   */
  signal: AbortSignal;
  /** Writes all of its text to stdout before returning, or throws (see Output.writeSync). */
  stdout(text: string): void;
  /**
   * Runs the stretch from CreateAccessKey to the key being stored (or deleted again), which a
   * forced quit must not cut off (the CLI passes runCritical); default: just runs it.
   */
  critical?: (<T>(work: () => Promise<T>, leftBehind: () => string | undefined) => Promise<T>) | undefined;
  /**
   * Opens a vault store as the target of a vault profile (the same store object each time, so a
   * passphrase is asked once); absent: no vault here (only plaintext profiles are offered).
   */
  vault?: ((kind: VaultStoreKind) => Promise<VaultProfileTarget>) | undefined;
}

export interface CreatedKey {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
  createdAt: Date;
  /** The files written. */
  stored: Stored[];
  /** Set when the secret goes to stdout (the command prints it). */
  format: KeyFormat | undefined;
}

/**
 * Creates an access key for an IAM user and stores it. Everything that can fail is checked before
 * CreateAccessKey; a write that still fails afterwards, or Ctrl-C before the write, deletes the new
 * key again, so the account never holds a key whose secret nobody has.
 */
export async function createAccessKey(ctx: CreateKeyContext, options: CreateKeyOptions): Promise<CreatedKey> {
  const destinations = await destinationsFromFlags(ctx, options);
  let approval: Approval = { force: options.force ?? false };
  if (hasDestination(destinations)) {
    approval = await checkDestinations(destinations, ctx.prompter, options.force ?? false);
  } else if (!ctx.prompter.interactive) {
    throw new NeedsInputError("Nowhere to put the new key's secret, and no terminal to ask where.", {
      hint: options.store === undefined ? 'pass --write-profile NAME, --csv-file PATH, or --format env|json|csv' : `pass the profile to store it as: --write-profile NAME`,
    });
  }

  const userName = await resolveUserName(ctx.iam, options.user, ctx.signal);
  // From reading the user's keys to storing the new one, under the user's lock (user-lock.ts).
  const unlock = await lockUser(userName, { credentialsPath: ctx.credentialsPath, clock: ctx.clock, signal: ctx.signal });
  try {
    return await createLocked(ctx, options, userName, destinations, approval);
  } finally {
    await unlock();
  }
}

async function createLocked(
  ctx: CreateKeyContext,
  options: CreateKeyOptions,
  userName: string,
  chosen: Destinations,
  checked: Approval,
): Promise<CreatedKey> {
  let destinations = chosen;
  let approval = checked;
  const keys = await listAccessKeys(ctx.iam, userName, ctx.signal);
  const quota = { ...ctx, sourceProfile: options.sourceProfile };
  const room = await chooseRoomForNewKey(quota, userName, keys);

  if (!hasDestination(destinations)) {
    destinations = await askDestination(ctx, userName, options);
    approval = await checkDestinations(destinations, ctx.prompter, options.force ?? false);
  }

  // Only now, with every check passed, is anything changed.
  if (room) await makeRoom(quota, userName, room);
  const madeRoom = room ? `access key ${room.key.accessKeyId} was deleted to make room, but ` : '';
  throwIfInterrupted(ctx.signal, `Interrupted; ${madeRoom}no key was created.`);

  const critical = ctx.critical ?? (<T>(work: () => Promise<T>) => work());
  let created: Awaited<ReturnType<typeof createKey>> | undefined;
  const leftBehind = () => {
    if (!created) return `IAM may have created a new key for IAM user "${userName}" whose secret is stored nowhere; check: awskeys iam list-keys --user ${shellWord(userName)}${profileFlag(options.sourceProfile)}`;
    return `the new key ${created.accessKeyId} of IAM user "${userName}" may be left Active and stored nowhere; delete it: ${keyChangeCommand('delete', created, options.sourceProfile)}`;
  };
  return critical(async () => {
    // Not cut short by Ctrl-C (see interrupt.ts): the key would exist with its secret lost.
    const key = await createKey(ctx.iam, userName, options.sourceProfile);
    created = key;
    let stored: Stored[];
    try {
      throwIfInterrupted(ctx.signal, 'Interrupted before the new key was stored.');
      stored = await storeKey(destinations, key, { ...ctx, approval });
    } catch (err) {
      throw await withKeyDeleted(ctx.iam, err, key, { sourceProfile: options.sourceProfile, roomMadeBy: room?.key.accessKeyId });
    }
    return { ...key, stored, format: destinations.format };
  }, leftBehind);
}

async function destinationsFromFlags(ctx: CreateKeyContext, options: CreateKeyOptions): Promise<Destinations> {
  return {
    profile: options.writeProfile === undefined ? undefined : await profileDestination(ctx, options.writeProfile, options.store ?? options.defaultStore ?? 'credentials'),
    csvPath: options.csvFile === undefined ? undefined : resolvePath(ctx.cwd, options.csvFile),
    format: options.format,
  };
}

async function profileDestination(ctx: CreateKeyContext, name: string, store: KeyStore): Promise<NonNullable<Destinations['profile']>> {
  const files = { name, credentialsPath: ctx.credentialsPath, configPath: ctx.configPath };
  if (store === 'credentials') return files;
  if (!ctx.vault) throw new Error('a vault store was chosen, but this context has no vault');
  return { ...files, vault: await ctx.vault(store) };
}

type Where = 'profile' | 'csv-file' | 'env' | 'json' | VaultStoreKind;

/**
 * The destination menu (no flag said where). A usable vault comes first (docs/vault.md, D49): the
 * keychain when its probe passes, then the plaintext profile, then the vault file (which asks a
 * passphrase at every use without AWSKEYS_VAULT_PASSPHRASE). The default is AWSKEYS_STORE's store,
 * else the first. With --store (and no --write-profile), only the profile name is asked.
 */
async function askDestination(ctx: CreateKeyContext, userName: string, options: CreateKeyOptions): Promise<Destinations> {
  const where: Where = options.store === undefined ? await askWhere(ctx, options.defaultStore) : options.store === 'credentials' ? 'profile' : options.store;
  switch (where) {
    case 'profile':
    case 'keychain':
    case 'file': {
      const store = where === 'profile' ? 'credentials' : where;
      const refused = await profileNameProblem({ credentialsPath: ctx.credentialsPath, configPath: ctx.configPath }, store !== 'credentials');
      const name = await ctx.prompter.input({
        name: 'create-key.profile-name',
        message: 'Profile name:',
        flag: '--write-profile',
        default: userName,
        validate: (value) => problemWith(() => assertValidSectionName(value, 'profile name')) ?? refused(value),
      });
      return { profile: await profileDestination(ctx, name, store) };
    }
    case 'csv-file': {
      const path = await ctx.prompter.input({
        name: 'create-key.csv-path',
        message: 'CSV file:',
        flag: '--csv-file',
        default: `${userName}_accessKeys.csv`,
        validate: (value) => (value.trim() === '' ? 'Type a file path.' : undefined),
      });
      return { csvPath: resolvePath(ctx.cwd, path.trim()) };
    }
    case 'env':
    case 'json':
      return { format: where };
  }
}

async function askWhere(ctx: CreateKeyContext, preferred: KeyStore | undefined): Promise<Where> {
  const keychain = ctx.vault ? await usableStore(ctx.vault, 'keychain') : undefined;
  const file = ctx.vault ? await ctx.vault('file') : undefined;
  const choices: { label: string; value: Where }[] = [
    ...(keychain ? [{ label: `A vault profile, its key in ${keychain.store.location} (never on disk)`, value: 'keychain' as const }] : []),
    { label: `A profile in ${ctx.credentialsPath}`, value: 'profile' },
    ...(file ? [{ label: `A vault profile, its key in the encrypted file ${file.store.location} (asks its passphrase)`, value: 'file' as const }] : []),
    { label: 'A CSV file (for aws configure import)', value: 'csv-file' },
    { label: 'Shell exports on stdout', value: 'env' },
    { label: 'JSON on stdout', value: 'json' },
  ];
  const wanted: Where | undefined = preferred === 'credentials' ? 'profile' : preferred;
  const fallback = choices[0]?.value ?? 'profile';
  return ctx.prompter.select<Where>({
    name: 'create-key.destination',
    message: 'Where should the new key go? (its secret can be read only now)',
    choices,
    default: choices.some((c) => c.value === wanted) && wanted !== undefined ? wanted : fallback,
  });
}

/** The store when its probe passes; undefined when it cannot keep a key here (no D-Bus session, ...). */
async function usableStore(open: (kind: VaultStoreKind) => Promise<VaultProfileTarget>, kind: VaultStoreKind): Promise<VaultProfileTarget | undefined> {
  try {
    const target = await open(kind);
    await target.store.probe();
    return target;
  } catch (err) {
    if (err instanceof VaultUnavailableError) return undefined;
    throw err;
  }
}

async function createKey(
  iam: IAMClient,
  userName: string,
  sourceProfile: string | undefined,
): Promise<{ userName: string; accessKeyId: string; secretAccessKey: string; createdAt: Date }> {
  try {
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const key = out.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('CreateAccessKey returned no key');
    return { userName, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, createdAt: key.CreateDate ?? new Date() };
  } catch (err) {
    const cliError = userError(err, userName, 'Create an access key');
    if (cliError instanceof KeyQuotaError) {
      // Another client created a key between our check and this call.
      throw new KeyQuotaError(`IAM user "${userName}" already has ${KEYS_PER_USER} access keys; no key was created.`, {
        hint: `see them with: awskeys iam list-keys --user ${shellWord(userName)}${profileFlag(sourceProfile)}, then: ${keyChangeCommand('delete', { userName, accessKeyId: 'ID' }, sourceProfile)}`,
        cause: err,
      });
    }
    throw cliError;
  }
}

/**
 * The error to report after a failed write or Ctrl-C: says whether the new key was deleted again.
 * The delete is never cut short itself (the signal is already aborted when interrupted).
 */
async function withKeyDeleted(
  iam: IAMClient,
  err: unknown,
  key: { userName: string; accessKeyId: string },
  context: { sourceProfile: string | undefined; roomMadeBy: string | undefined },
): Promise<CliError> {
  const first = err instanceof CliError ? err : new FileError(String((err as Error).message ?? err), { cause: err });
  const message = first.message.replace(/\.?$/, '.');
  const report = (text: string, hint: string | undefined) =>
    first instanceof InterruptedError
      ? new InterruptedError(text, { hint, cause: err })
      : new CliError(text, first.exitCode, { hint, cause: err });
  try {
    await iam.send(new DeleteAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.accessKeyId }));
  } catch (deleteErr) {
    const reason = toCliError(deleteErr, 'DeleteAccessKey').message;
    return report(
      `${message} The new key ${key.accessKeyId} could not be deleted again (${reason}); it exists but its secret was stored nowhere.`,
      `delete it: ${keyChangeCommand('delete', key, context.sourceProfile)}`,
    );
  }
  // The key deleted to make room stays deleted: say so rather than "nothing changed".
  const outcome = context.roomMadeBy ? `access key ${context.roomMadeBy} stays deleted` : 'nothing changed';
  return report(`${message} The new key ${key.accessKeyId} was deleted again; ${outcome}.`, first.hint);
}

function problemWith(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
