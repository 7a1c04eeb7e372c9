import { awsFilePaths, type AwsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles, readIni } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { CliError, ExitCode, InterruptedError, NotFoundError, UsageError } from '../errors/cli-error.js';
import { writeStaticKey } from '../iam/write-static-key.js';
import { configProfileValues, PLAIN_PROFILE_SETTINGS, removePlaintextKey, vaultProfileSettings, vaultStoreOf, writeVaultProfile } from './vault-profile.js';
import { openVaultStore, type VaultDeps, type VaultKey, type VaultStore, type VaultStoreKind } from './vault-store.js';

export type MoveTarget = VaultStoreKind | 'credentials';

export interface MoveOptions {
  profile: string;
  /** Default: `keychain` for a plaintext key, `credentials` for a vault profile. */
  to?: MoveTarget | undefined;
  /** How the config's credential_process names awskeys (vault-profile.ts, awskeysCommand). */
  command: string;
}

export interface MoveResult {
  profile: string;
  accessKeyId: string;
  from: MoveTarget;
  to: MoveTarget;
  /** False when the key already was where it was asked to go. */
  moved: boolean;
  /** Where it is now, for the user: "the Secret Service keyring", a file path. */
  location: string;
  warnings: string[];
}

/** Settings that mean the profile gets its credentials some other way: never turned into a vault profile. */
const OTHER_SOURCES = ['role_arn', 'source_profile', 'credential_source', 'web_identity_token_file', 'sso_session', 'sso_start_url', 'login_session', 'credential_process'];

/**
 * Moves a profile's long-term key between the credentials file (plaintext) and a vault store, or
 * between stores. The order keeps the key somewhere at every instant, whatever ends the process
 * (kill -9 included): the new copy is written and read back first; then the config file says where
 * the key is; only then is the old copy removed. An interruption or failure on the way reports
 * which copies exist (docs/vault.md, "vault move").
 */
export async function moveKey(deps: VaultDeps, options: MoveOptions): Promise<MoveResult> {
  const { profile } = options;
  assertValidSectionName(profile, 'profile name');
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const files = await readAwsFiles(paths);
  const values = getProfile(files, profile);
  if (values === undefined) {
    throw new NotFoundError(`Profile "${profile}" is in neither ${paths.config} nor ${paths.credentials}.`, { hint: 'check the name: awskeys vault list, or awskeys status' });
  }
  const from: MoveTarget = vaultStoreOf(configProfileValues(files.config, profile)) ?? 'credentials';
  const to: MoveTarget = options.to ?? (from === 'credentials' ? 'keychain' : 'credentials');
  const lockOptions = { clock: deps.clock, signal: deps.signal };

  // The key, from where it is now.
  let key: VaultKey;
  let source: VaultStore | undefined;
  if (from === 'credentials') {
    key = plaintextKey(values, profile, paths);
  } else {
    source = await openVaultStore(from, deps);
    const item = await source.read(profile);
    if (!item) {
      throw new NotFoundError(`Profile "${profile}" is a ${from} vault profile, but ${source.location} holds no key for it.`, {
        hint: `store its key again (awskeys iam import --profile ${profile} --store ${from}), or remove the profile`,
      });
    }
    key = item.key;
  }
  const result = { profile, accessKeyId: key.accessKeyId, from, to, warnings: [] as string[] };
  if (to === from) {
    // A move into the vault stopped after the config was written leaves the plaintext copy: finish it.
    const leftover = source !== undefined && values.aws_secret_access_key === key.secretAccessKey;
    if (leftover) result.warnings.push(...(await removePlaintextKey(paths, profile, lockOptions)));
    return { ...result, moved: leftover, location: source?.location ?? paths.credentials };
  }

  const step = new Steps(profile, from, to);
  step.have(where(from, source, paths));
  return step.run(async () => {
    // 1. The new copy, read back.
    let location: string;
    if (to === 'credentials') {
      step.check(deps.signal);
      const written = await writeStaticKey(paths.credentials, profile, key, lockOptions);
      result.warnings.push(...written.warnings);
      const back = getProfile({ config: await readIni(paths.config), credentials: await readIni(paths.credentials) }, profile);
      if (back?.aws_access_key_id !== key.accessKeyId || back.aws_secret_access_key !== key.secretAccessKey) {
        throw new CliError(`The key written to ${paths.credentials} did not read back.`, ExitCode.File, { hint: `check ${paths.credentials}` });
      }
      location = paths.credentials;
    } else {
      const target = await openVaultStore(to, deps);
      await target.probe();
      step.check(deps.signal);
      const previous = source ? await source.read(profile) : undefined;
      await target.write(profile, { key, session: previous?.session });
      const back = await target.read(profile);
      if (back?.key.accessKeyId !== key.accessKeyId || back.key.secretAccessKey !== key.secretAccessKey) {
        throw new CliError(`The key written to ${target.location} did not read back.`, ExitCode.VaultUnavailable, { hint: 'check the store (awskeys vault list)' });
      }
      location = target.location;
    }
    step.have(location);

    // 2. The config says where the key is now.
    step.check(deps.signal);
    const config = await writeVaultProfile(paths.config, profile, to === 'credentials' ? PLAIN_PROFILE_SETTINGS : vaultProfileSettings(options.command, profile, to), lockOptions);
    result.warnings.push(...config.warnings);
    step.configSays(location);

    // 3. The old copy goes.
    step.check(deps.signal);
    if (from === 'credentials') {
      result.warnings.push(...(await removePlaintextKey(paths, profile, lockOptions)));
    } else {
      await source?.remove(profile);
    }
    step.gone(where(from, source, paths));
    return { ...result, moved: true, location };
  });
}

/** The profile's long-term key in the AWS files; refuses temporary keys and profiles of another kind. */
function plaintextKey(values: Record<string, string>, profile: string, paths: AwsFilePaths): VaultKey {
  const other = OTHER_SOURCES.find((k) => values[k] !== undefined && values[k] !== '');
  if (other) {
    throw new UsageError(`Profile "${profile}" gets its credentials another way (${other}); only a long-term access key moves into the vault.`, {
      hint: 'choose a profile that holds an access key (awskeys status lists them)',
    });
  }
  const accessKeyId = values.aws_access_key_id;
  const secretAccessKey = values.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) {
    throw new NotFoundError(`Profile "${profile}" holds no access key in ${paths.credentials} or ${paths.config}.`, { hint: 'check the name: awskeys status' });
  }
  if (values.aws_session_token) {
    throw new UsageError(`Profile "${profile}" holds temporary credentials (aws_session_token); only a long-term access key moves into the vault.`, {
      hint: 'temporary keys expire on their own: nothing to protect',
    });
  }
  return { accessKeyId, secretAccessKey };
}

function where(kind: MoveTarget, store: VaultStore | undefined, paths: AwsFilePaths): string {
  return kind === 'credentials' ? paths.credentials : (store?.location ?? kind);
}

/**
 * What exists at each moment of a move, so a failure or a stop says exactly where the key is:
 * "the key of profile dev is in ~/.aws/credentials and the Secret Service keyring".
 */
class Steps {
  private readonly copies: string[] = [];
  private config: string | undefined;

  constructor(
    private readonly profile: string,
    private readonly from: MoveTarget,
    private readonly to: MoveTarget,
  ) {}

  have(location: string): void {
    if (!this.copies.includes(location)) this.copies.push(location);
  }

  gone(location: string): void {
    this.copies.splice(this.copies.indexOf(location), 1);
  }

  configSays(location: string): void {
    this.config = location;
  }

  check(signal: AbortSignal): void {
    if (signal.aborted) throw new InterruptedError();
  }

  state(): string {
    const copies = this.copies.join(' and ');
    const config = this.config ? `; the config points at ${this.config}` : '';
    return `the key of profile ${this.profile} is in ${copies}${config}`;
  }

  /**
   * How to finish a move that stopped with two copies: the same move again, until the config points
   * at the new copy; after that, a plaintext copy is removed by the same move again, an old store's
   * item by `vault remove` of that store (the move, seeing the config, has nothing left to do).
   */
  private finish(): string | undefined {
    if (this.copies.length < 2) return undefined;
    if (this.config !== undefined && this.from !== 'credentials') {
      return `remove the copy left in the old store: awskeys vault remove --profile ${this.profile} --store ${this.from} --yes`;
    }
    return `run it again to finish: awskeys vault move --profile ${this.profile} --to ${this.to}`;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      const hint = this.finish() ?? err.hint;
      if (err instanceof InterruptedError) throw new InterruptedError(`Interrupted; ${this.state()}.`, { hint, cause: err });
      throw new CliError(`${err.message.replace(/\.$/, '')}; ${this.state()}.`, err.exitCode, { hint, cause: err });
    }
  }
}
