import type { Deps } from '../../app/deps.js';
import type { AwsFilePaths } from '../../aws-files/paths.js';
import { awskeysCommand } from '../../vault/vault-profile.js';
import type { VaultProfileTarget } from '../../vault/vault-profile-key.js';
import { openVaultStore, type VaultDeps, type VaultStore, type VaultStoreKind } from '../../vault/vault-store.js';

/** What the vault's services take from the composition root. */
export function vaultDeps(deps: Deps): VaultDeps {
  return { env: deps.env, homeDir: deps.homeDir, terminal: deps.terminal, signal: deps.signal, clock: deps.clock, unlockedVaultFiles: deps.unlockedVaultFiles };
}

/**
 * How credential_process names awskeys: the launcher's path (bin/awskeys.js) when `awskeys` on
 * PATH is another program (vault-profile.ts).
 */
export function selfCommand(deps: Deps): Promise<string> {
  return awskeysCommand(deps.env, process.argv[1] ?? 'awskeys');
}

/**
 * Opens a store as the target of a new vault profile (create-key, import), each store once per
 * run: the file store keeps the passphrase it asked for.
 */
export function vaultTargets(deps: Deps, paths: Pick<AwsFilePaths, 'config' | 'credentials'>): (kind: VaultStoreKind) => Promise<VaultProfileTarget> {
  const opened = new Map<VaultStoreKind, VaultStore>();
  let command: string | undefined;
  return async (kind) => {
    const store = opened.get(kind) ?? (await openVaultStore(kind, vaultDeps(deps)));
    opened.set(kind, store);
    command ??= await selfCommand(deps);
    return { store, command, paths: { config: paths.config, credentials: paths.credentials } };
  };
}
