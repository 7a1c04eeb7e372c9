import { CliError, CredentialsError, ExitCode } from '../../errors/cli-error.js';
import { shellWord } from '../../text/shell-word.js';
import type { VaultItem, VaultStore } from '../../vault/vault-store.js';
import type { NewKey } from './key-holders.js';

/**
 * The vault side of a rotation (docs/rotation.md, "A vault profile"): a vault profile's key lives
 * in its store item, which takes the place of the profile's lines in the AWS files. The new key
 * goes into that item and must read back before the old key is deactivated; the undo puts back
 * the old item exactly as it was (key, user name, when it was stored, its cached session).
 */
export interface StoreHolder {
  store: VaultStore;
  profile: string;
  /** The item before the rotation, byte for byte what the undo writes back. */
  previous: VaultItem;
}

/**
 * The profile's item, read from `store`; with `probe`, the store is first shown to keep what it is
 * given (write, read back, delete a probe item), so an unusable store stops the rotation before any
 * AWS call (exit 26; a wrong passphrase of the vault file: 27).
 */
export async function storeHolder(store: VaultStore, profile: string, probe: boolean): Promise<StoreHolder> {
  if (probe) await store.probe();
  const previous = await store.read(profile);
  if (!previous) {
    throw new CredentialsError(`Profile ${profile} keeps its key in the vault (${store.kind}), but ${store.location} has no key for it.`, {
      hint: `store it again: awskeys iam import --profile ${shellWord(profile)} --store ${store.kind}`,
    });
  }
  return { store, profile, previous };
}

/**
 * Replaces the item with the new key, without the cached session (it was made with the old key),
 * and reads it back: a store that did not keep the new key fails here, before the old key is
 * deactivated, and the rotation is undone.
 */
export async function storeNewKey(holder: StoreHolder, key: NewKey, userName: string, createDate: string | undefined): Promise<void> {
  const { store, profile } = holder;
  await store.write(profile, { key: { ...key, userName, ...(createDate !== undefined ? { createDate } : {}) } });
  const back = await store.read(profile);
  if (back?.key.accessKeyId !== key.accessKeyId || back.key.secretAccessKey !== key.secretAccessKey) {
    throw new CliError(`the new key written to ${store.location} did not read back`, ExitCode.VaultUnavailable, {
      hint: 'check the store: awskeys vault list',
    });
  }
}

/**
 * Puts the old item back while the store holds the new key (or the write's outcome is unknown:
 * then it may), and reads it back. An item someone else changed meanwhile (another key id) is
 * left as they made it, as a file section is; an item gone is put back (the old key is Active
 * again, and nothing else holds it for this profile). Throws when the store cannot be written.
 * 'unchanged': the store never held the new key.
 */
export async function restoreStoreItem(holder: StoreHolder, newKeyId: string): Promise<'unchanged' | 'restored'> {
  const { store, profile, previous } = holder;
  const now = await store.read(profile);
  if (now !== undefined && now.key.accessKeyId !== newKeyId) return 'unchanged';
  await store.write(profile, previous);
  const back = await store.read(profile);
  if (back?.key.accessKeyId !== previous.key.accessKeyId || back.key.secretAccessKey !== previous.key.secretAccessKey) {
    throw new Error(`the old key did not read back from ${store.location}`);
  }
  return 'restored';
}
