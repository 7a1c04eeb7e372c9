import { isVaultStoreKind, type VaultStoreKind } from './vault-types.js';

/**
 * The config setting that makes a profile a vault profile (vault-profile.ts has the whole shape).
 * On its own, because the lean `env` path asks every profile for it (src/cli/entry.ts rule 5).
 */
export const VAULT_MARKER = 'awskeys_vault';

/** The store a profile's marker names, or undefined for a profile that is not a vault profile. */
export function vaultStoreOf(values: Readonly<Record<string, string>> | undefined): VaultStoreKind | undefined {
  const marker = values?.[VAULT_MARKER]?.trim();
  return isVaultStoreKind(marker) ? marker : undefined;
}
