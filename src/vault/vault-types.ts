import type { Clock } from '../app/clock.js';
import type { Prompter } from '../prompt/prompter.js';
import type { DerivedKey } from './vault-file-format.js';

/**
 * The vault's types (docs/vault.md), below both stores and the seam that opens them
 * (vault-store.ts re-exports them: import from there).
 */

export type VaultStoreKind = 'keychain' | 'file';

export const VAULT_STORE_KINDS: readonly VaultStoreKind[] = ['keychain', 'file'];

export interface VaultKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** The IAM user the key belongs to, when known. */
  userName?: string | undefined;
  /** When IAM created the key (ISO 8601), when known: `vault list` shows its age. */
  createDate?: string | undefined;
}

export interface VaultSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601 */
  expiration: string;
  durationSeconds: number;
  mfaSerial?: string | undefined;
}

/** One item per profile: the long-term key and, cached beside it, its current session. */
export interface VaultItem {
  key: VaultKey;
  session?: VaultSession | undefined;
  /**
   * When this key id was first stored (ISO 8601). Set by the store on write when absent, and kept
   * while the key id stays the same; the age `vault list` shows when IAM's date is unknown.
   */
  storedAt?: string | undefined;
}

export interface VaultStore {
  readonly kind: VaultStoreKind;
  /** Where the items live, for messages: "the login keyring (Secret Service)", a file path. */
  readonly location: string;
  /** undefined: no item for this profile. */
  read(profile: string): Promise<VaultItem | undefined>;
  /** Replaces the profile's item. */
  write(profile: string, item: VaultItem): Promise<void>;
  /** False when there was no item. */
  remove(profile: string): Promise<boolean>;
  /** The profiles that have an item, sorted. */
  profiles(): Promise<string[]>;
  /**
   * Writes, reads back and deletes a probe item; throws VaultUnavailableError (one line and the fix)
   * when the store cannot keep a key. Called before any key is created for the store.
   */
  probe(): Promise<void>;
  /**
   * The same store (the same passphrase, asked once), whose calls a stop signal does not cut
   * short: for putting back what a stopped command changed. The store's own calls take the run's
   * signal, which is already aborted when an undo after Ctrl-C runs.
   */
  forUndo(): VaultStore;
}

export interface VaultDeps {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** Asks the file store's passphrase (a hidden input); the keychain asks nothing itself. */
  terminal: Prompter;
  signal: AbortSignal;
  clock: Clock;
  unlockedVaultFiles: UnlockedVaultFiles;
}

/**
 * The vault files this run has opened, by path: the passphrase that opened each and the key derived
 * from it. A command may reach the file through more than one store object (`iam audit --profile
 * P` resolves P's credentials and reads every vault key): the passphrase is asked, and scrypt run,
 * once per run all the same. One per run, made by createDeps; only a passphrase that opened the file
 * (or was chosen, twice, for a new one) is kept.
 */
export type UnlockedVaultFiles = Map<string, { passphrase: string; derived: DerivedKey }>;

export function isVaultStoreKind(value: unknown): value is VaultStoreKind {
  return value === 'keychain' || value === 'file';
}
