import { realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { editSection, type SectionUpdate } from '../aws-files/ini-edit.js';
import type { IniDocument } from '../aws-files/ini-parse.js';
import type { AwsFilePaths } from '../aws-files/paths.js';
import { getProfile } from '../aws-files/profiles.js';
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

/** The profile's settings in the config file alone: only the config says a profile is a vault profile. */
export function configProfileValues(config: IniDocument, profile: string): Record<string, string> | undefined {
  return getProfile({ config, credentials: { sections: [] } }, profile);
}

/** The settings that make it an ordinary profile again (its keys then in the credentials file). */
export const PLAIN_PROFILE_SETTINGS: SectionUpdate = { credential_process: null, [VAULT_MARKER]: null };

/**
 * Removes a plaintext key's lines from the profile's sections of both files, every other byte
 * kept: botocore reads static keys before credential_process, so none may stay beside a vault
 * profile.
 */
export async function removePlaintextKey(paths: Pick<AwsFilePaths, 'config' | 'credentials'>, profile: string, options: UpdateOptions): Promise<string[]> {
  const warnings: string[] = [];
  for (const [file, kind] of [[paths.credentials, 'credentials'], [paths.config, 'config']] as const) {
    const removed = await updateAwsFile(file, (text) => editSection(text, profileSectionName(kind, profile), KEY_LINES), options);
    warnings.push(...removed.warnings);
  }
  return warnings;
}

const KEY_LINES = { aws_access_key_id: null, aws_secret_access_key: null, aws_session_token: null };

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
