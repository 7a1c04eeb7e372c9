import { awsFilePaths } from '../aws-files/paths.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { assertValidSectionName } from '../aws-files/sections.js';
import { CancelledError, NeedsInputError, NotFoundError, VaultUnavailableError, VaultUnreadableError } from '../errors/cli-error.js';
import type { Prompter } from '../prompt/prompter.js';
import { throwIfInterrupted } from '../util/abort.js';
import { PLAIN_PROFILE_SETTINGS, vaultStoreOf, writeVaultProfile } from './vault-profile.js';
import { openVaultStore, VAULT_STORE_KINDS, type VaultDeps, type VaultStore } from './vault-store.js';
import { vaultFileExists } from './file-store.js';

export interface RemoveOptions {
  profile: string;
  /** Only this store (an item left behind in the store a profile no longer names). */
  store?: VaultStore['kind'] | undefined;
  yes?: boolean | undefined;
}

export interface RemoveResult {
  profile: string;
  accessKeyId: string;
  location: string;
  /** The config profile that pointed at the item no longer does (its other settings stay). */
  configChanged: boolean;
  warnings: string[];
}

/**
 * Deletes a profile's key from the vault, after a yes (or --yes): from `--store`, else the store
 * named by the profile's marker, else whichever store holds an item for it. The config profile is
 * unmade only when its marker names the store the item is removed from. The config stops pointing at the
 * store first, then the item goes, so a stop in between leaves an item no profile uses (listed by
 * `vault list`, removed by running this again), never a profile pointing at nothing. The key stays
 * Active in IAM: this only forgets it here.
 */
export async function removeFromVault(deps: VaultDeps & { prompter: Prompter }, options: RemoveOptions): Promise<RemoveResult> {
  const { profile } = options;
  assertValidSectionName(profile, 'profile name');
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const files = await readAwsFiles(paths);
  const marked = vaultStoreOf(getProfile({ config: files.config, credentials: { sections: [] } }, profile));
  const found = await findItem(deps, profile, options.store ?? marked, options.store !== undefined || marked !== undefined);
  if (!found) {
    throw new NotFoundError(`No key of profile "${profile}" is in the vault.`, { hint: 'see what is there: awskeys vault list' });
  }
  const { store, accessKeyId } = found;
  if (!options.yes) {
    if (!deps.prompter.interactive) {
      throw new NeedsInputError(`Removing the key of profile ${profile} from the vault needs a confirmation, and there is no terminal to ask.`, { hint: 'pass --yes' });
    }
    const yes = await deps.prompter.confirm({
      name: 'vault.remove',
      message: `Remove access key ${accessKeyId} of profile ${profile} from ${store.location}? Its secret cannot be recovered from here afterwards (the key stays active in IAM).`,
      flag: '--yes',
      default: false,
    });
    if (!yes) throw new CancelledError(`Not confirmed; the key of profile ${profile} stays in ${store.location}.`);
  }
  throwIfInterrupted(deps.signal, 'Interrupted; nothing was changed.');
  const warnings: string[] = [];
  let configChanged = false;
  if (marked === store.kind) {
    const written = await writeVaultProfile(paths.config, profile, PLAIN_PROFILE_SETTINGS, { clock: deps.clock, signal: deps.signal });
    warnings.push(...written.warnings);
    configChanged = written.changed;
  }
  await store.remove(profile);
  return { profile, accessKeyId, location: store.location, configChanged, warnings };
}

/** The store holding the profile's item: the one asked for or marked, else the first that has it (an unusable keychain is skipped). */
async function findItem(
  deps: VaultDeps,
  profile: string,
  only: VaultStore['kind'] | undefined,
  named: boolean,
): Promise<{ store: VaultStore; accessKeyId: string } | undefined> {
  const kinds = only ? [only] : VAULT_STORE_KINDS;
  for (const kind of kinds) {
    if (!named && kind === 'file' && !(await vaultFileExists(deps.env, deps.homeDir))) continue;
    const store = await openVaultStore(kind, deps);
    try {
      const item = await store.read(profile);
      if (item) return { store, accessKeyId: item.key.accessKeyId };
    } catch (err) {
      // An item that cannot be read is still removable: that is how the error's hint fixes it.
      if (err instanceof VaultUnreadableError && kind === 'keychain') return { store, accessKeyId: 'of unknown id (the item is unreadable)' };
      if (named || !(err instanceof VaultUnavailableError)) throw err;
    }
  }
  return undefined;
}
