import { fileStore } from './file-store.js';
import { keychainStore } from './keychain-store.js';
import type { VaultDeps, VaultStore, VaultStoreKind } from './vault-types.js';

/**
 * The seam between awskeys and the places a long-term key can live off disk (docs/vault.md):
 * the OS keychain (keychain-store.ts) and an encrypted file (file-store.ts). Both keep one item
 * per profile: the key and, cached beside it, the profile's current session credentials.
 *
 * Static imports on purpose: a vault profile with a cached session is served on the lean `env` path
 * (src/cli/entry.ts), where a dynamic import() would hand over to the full program. What costs is
 * loaded on first use only: the keychain's native addon (native-keyring.ts) and node:crypto.
 */

export { VAULT_STORE_KINDS, isVaultStoreKind } from './vault-types.js';
export type { VaultDeps, VaultItem, VaultKey, VaultSession, VaultStore, VaultStoreKind } from './vault-types.js';

export function openVaultStore(kind: VaultStoreKind, deps: VaultDeps): Promise<VaultStore> {
  return Promise.resolve(kind === 'keychain' ? keychainStore(deps) : fileStore(deps));
}
