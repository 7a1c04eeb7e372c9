import { realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { editSection, type SectionUpdate } from '../aws-files/ini-edit.js';
import { profileSectionName } from '../aws-files/sections.js';
import { updateAwsFile, type UpdateOptions, type UpdateResult } from '../aws-files/update-file.js';
import { shellWord } from '../text/shell-word.js';
import { VAULT_MARKER } from './vault-marker.js';
import type { VaultStoreKind } from './vault-store.js';

/**
 * The shape of a vault profile in the config file (docs/vault.md, "Profile shape"):
 *
 *     [profile dev]
 *     credential_process = awskeys credential-process --profile dev
 *     awskeys_vault = keychain
 *
 * so the AWS CLI, botocore and every SDK read it through credential_process, unchanged, and
 * awskeys itself, seeing the marker, reads the store directly (no recursion into itself).
 * Shared by every command that makes or unmakes one (create-key/import --store, vault move).
 */
export { VAULT_MARKER, vaultStoreOf } from './vault-marker.js';

/** The config settings that make `profile` a vault profile of `store`, run with `command`. */
export function vaultProfileSettings(command: string, profile: string, store: VaultStoreKind): SectionUpdate {
  return { credential_process: `${command} credential-process --profile ${shellWord(profile)}`, [VAULT_MARKER]: store };
}

/** The settings that make it an ordinary profile again (its keys then in the credentials file). */
export const PLAIN_PROFILE_SETTINGS: SectionUpdate = { credential_process: null, [VAULT_MARKER]: null };

/** Writes (or removes, with PLAIN_PROFILE_SETTINGS) the vault shape in the config file, every other byte kept. */
export function writeVaultProfile(configPath: string, profile: string, settings: SectionUpdate, options: UpdateOptions): Promise<UpdateResult> {
  return updateAwsFile(configPath, (text) => editSection(text, profileSectionName('config', profile), settings), options);
}


/**
 * How the config names this awskeys so that it runs from any shell, and from the SDKs' own
 * process runners: `awskeys` when the first `awskeys` on PATH is this same program, else the
 * absolute path of the running launcher (`self`, bin/awskeys.js), quoted for botocore's shlex.
 */
export async function awskeysCommand(env: NodeJS.ProcessEnv, self: string): Promise<string> {
  const real = await realpath(self).catch(() => self);
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const found = await realpath(join(dir, 'awskeys')).catch(() => undefined);
    if (found === undefined) continue;
    return found === real ? 'awskeys' : shellWord(real);
  }
  return shellWord(real);
}
