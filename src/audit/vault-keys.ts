import { VaultUnavailableError, VaultUnreadableError, type CliError } from '../errors/cli-error.js';
import { openVaultStore, type VaultDeps, type VaultKey, type VaultStoreKind } from '../vault/vault-store.js';

/**
 * Why a vault profile's key could not be read from its store. `vault-unavailable`: the store
 * cannot be opened here (no D-Bus session, a locked keyring, no passphrase and no terminal: exit
 * 26 elsewhere), which says nothing about the key, so it is a note, like an IAM that cannot be
 * asked (D48); the other two are the profile's own trouble and need attention.
 */
export interface StoreProblem {
  code: 'vault-unavailable' | 'vault-unreadable' | 'vault-missing';
  detail: string;
}

export type StoredKey = { key: VaultKey } | { problem: StoreProblem };

/**
 * Each vault profile's key, read from the store its config names: one store object per kind, so
 * the vault file's passphrase is asked (and its scrypt run) once. Only the key id is shown; the
 * secret is kept in memory for `--each-key`, never printed. A store that cannot be opened, or a
 * vault file that cannot be read, is the answer for every profile in it (asked once, not once per
 * profile); a keychain item that is not an awskeys item is that profile's alone.
 */
export async function readVaultKeys(deps: VaultDeps, profiles: readonly { name: string; store: VaultStoreKind }[]): Promise<Map<string, StoredKey>> {
  const out = new Map<string, StoredKey>();
  for (const kind of ['keychain', 'file'] as const) {
    const names = profiles.filter((p) => p.store === kind).map((p) => p.name);
    if (names.length === 0) continue;
    const store = await openVaultStore(kind, deps);
    let storeWide: StoreProblem | undefined;
    for (const name of names) {
      if (storeWide) {
        out.set(name, { problem: storeWide });
        continue;
      }
      try {
        const item = await store.read(name);
        out.set(name, item ? { key: item.key } : { problem: { code: 'vault-missing', detail: missing(kind, store.location, name) } });
      } catch (err) {
        if (!(err instanceof VaultUnavailableError || err instanceof VaultUnreadableError)) throw err;
        const problem: StoreProblem = { code: err instanceof VaultUnavailableError ? 'vault-unavailable' : 'vault-unreadable', detail: sentence(err) };
        // A foreign keychain item is that item's trouble; a vault file that does not open is the whole file's.
        if (kind === 'file' || problem.code === 'vault-unavailable') storeWide = problem;
        out.set(name, { problem });
      }
    }
  }
  return out;
}

function missing(kind: VaultStoreKind, location: string, profile: string): string {
  return `the config keeps its key in ${location} (awskeys_vault = ${kind}), which holds no key for it; store its key again (awskeys iam import --profile ${profile} --store ${kind}), or remove the profile`;
}

/** The store's error and its fix as one clause: "Wrong passphrase for the vault file X; <hint>". */
function sentence(err: CliError): string {
  const what = err.message.replace(/; nothing was (changed|written)\.$/, '').replace(/\.$/, '');
  return err.hint === undefined ? what : `${what}; ${err.hint}`;
}
