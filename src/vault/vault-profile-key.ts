import type { AwsFilePaths } from '../aws-files/paths.js';
import { readIni } from '../aws-files/profiles.js';
import { assertStillAllowed, profileOverwrite, type Overwrite, type OverwriteApproval, type OverwriteWording, type ProfileFiles } from '../aws-files/profile-overwrite.js';
import type { UpdateOptions } from '../aws-files/update-file.js';
import { VaultUnavailableError } from '../errors/cli-error.js';
import { configProfileValues, PLAIN_PROFILE_SETTINGS, removePlaintextKey, vaultProfileSettings, vaultStoreOf, VAULT_MARKER, writeVaultProfile } from './vault-profile.js';
import type { VaultKey, VaultStore } from './vault-store.js';

/**
 * A new long-term key stored as a vault profile (`iam create-key --store`, `iam import --store`):
 * the key in the store, the profile shape in the config (vault-profile.ts, the one writer), no
 * plaintext key left in either AWS file (docs/vault.md, "Profile shape").
 */
export interface VaultProfileTarget {
  store: VaultStore;
  /** How credential_process names awskeys (vault-profile.ts, awskeysCommand). */
  command: string;
  paths: Pick<AwsFilePaths, 'config' | 'credentials'>;
}

/**
 * Whether `profile` may become a vault profile of the target's store holding key `accessKeyId`
 * (undefined: a key not created yet), answered before anything is written or created.
 *
 * - a profile that is not a vault profile: profile-overwrite.ts's answer for a long-term key (SSO,
 *   a role, a process are refused; a plaintext key is replaced only with --force or a yes, since
 *   its lines go);
 * - a vault profile of this store: free when the store has no item for it, same when the item
 *   holds this key, else a replace (the item's secret would be lost);
 * - a vault profile of the other store: a replace (its item would be left behind, unused).
 *
 * Then, unless refused, the store is probed (write, read back, delete a probe item): an unusable
 * store is its one-line error (exit 26) here, before any key exists.
 */
export async function checkVaultProfile(target: VaultProfileTarget, profile: string, accessKeyId: string | undefined, wording: OverwriteWording): Promise<Overwrite> {
  const files = await profileFilesOf(target.paths);
  const vault = vaultStoreOf(configProfileValues(files.config, profile));
  let verdict: Overwrite;
  if (vault === undefined) {
    verdict = profileOverwrite(files, profile, { kind: 'static-key', accessKeyId }, wording);
  } else if (vault === target.store.kind) {
    const heldKeyId = (await target.store.read(profile))?.key.accessKeyId;
    if (heldKeyId === undefined) verdict = { verdict: 'free' };
    else if (heldKeyId === accessKeyId) verdict = { verdict: 'same' };
    else verdict = replacing(profile, `keeps access key ${heldKeyId} in ${target.store.location}`, heldKeyId, 'Replace it (its secret is lost)?', wording);
  } else {
    verdict = replacing(profile, `is a vault profile of the ${vault} store`, undefined, `Make it a ${target.store.kind} vault profile (the ${vault} item stays, unused)?`, wording);
  }
  if (verdict.verdict !== 'refuse') await target.store.probe();
  return verdict;
}

function replacing(profile: string, what: string, heldKeyId: string | undefined, question: string, wording: OverwriteWording): Overwrite {
  return { verdict: 'replace', heldKeyId, situation: `Profile "${profile}" ${what}`, question, hint: `pass --force to replace it, or choose another ${wording.flag}` };
}

/**
 * For a name prompt: the refusal a name would meet as a vault profile (an SSO or role profile), so
 * it is refused as it is typed. A vault profile passes (whether it is replaced is asked later).
 */
export function vaultProfileNameProblem(files: ProfileFiles, profile: string, wording: OverwriteWording): string | undefined {
  if (vaultStoreOf(configProfileValues(files.config, profile)) !== undefined) return undefined;
  const verdict = profileOverwrite(files, profile, { kind: 'static-key', accessKeyId: undefined }, wording);
  return verdict.verdict === 'refuse' ? verdict.error.message : undefined;
}

/**
 * Writes the key into the store and reads it back, then the config's vault shape, then removes any
 * plaintext key of the profile from both files. A failure or a stop on the way puts back the store
 * item and the config as they were (through the store's forUndo view and an unstoppable config
 * write: the run's signal may be why it runs), and throws. Returns the files' warnings.
 *
 * The config is decided again under its lock: a profile another process has since made an SSO or
 * role profile, or given a key the user did not agree to replace, is not overwritten.
 */
export async function storeInVault(
  target: VaultProfileTarget,
  profile: string,
  key: VaultKey,
  options: UpdateOptions & { approval: OverwriteApproval; wording: OverwriteWording },
): Promise<string[]> {
  const { store, paths } = target;
  const before = await profileFilesOf(paths);
  const previous = await store.read(profile);
  const configBefore = configProfileValues(before.config, profile);
  const lockOptions = { clock: options.clock, signal: options.signal };
  let configWritten = false;
  const undo = async (): Promise<void> => {
    if (configWritten) {
      const settings = configBefore?.[VAULT_MARKER] === undefined ? PLAIN_PROFILE_SETTINGS : { credential_process: configBefore.credential_process ?? null, [VAULT_MARKER]: configBefore[VAULT_MARKER] };
      await writeVaultProfile(paths.config, profile, settings, { clock: options.clock, signal: undefined });
    }
    const again = store.forUndo();
    if (previous) await again.write(profile, previous);
    else await again.remove(profile);
  };
  try {
    // No session: a session is only ever cached beside the key it was made with.
    await store.write(profile, { key });
    const back = await store.read(profile);
    if (back?.key.accessKeyId !== key.accessKeyId || back.key.secretAccessKey !== key.secretAccessKey) {
      throw new VaultUnavailableError(`The key written to ${store.location} did not read back the same.`, { hint: 'check the store (awskeys vault list), or choose the other store' });
    }
    const config = await writeVaultProfile(paths.config, profile, vaultProfileSettings(target.command, profile, store.kind), {
      ...lockOptions,
      decide: (current) => {
        if (vaultStoreOf(configProfileValues(current, profile)) !== undefined) return;
        assertStillAllowed({ ...before, config: current }, profile, { kind: 'static-key', accessKeyId: key.accessKeyId }, options.approval, options.wording);
      },
    });
    configWritten = config.changed;
    const removed = await removePlaintextKey(paths, profile, lockOptions);
    return [...config.warnings, ...removed];
  } catch (err) {
    await undo().catch(() => undefined);
    throw err;
  }
}

async function profileFilesOf(paths: Pick<AwsFilePaths, 'config' | 'credentials'>): Promise<ProfileFiles> {
  return { paths, config: await readIni(paths.config), credentials: await readIni(paths.credentials) };
}
