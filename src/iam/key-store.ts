import { UsageError } from '../errors/cli-error.js';

/**
 * Where a long-term key's secret is kept (`iam create-key --store`, `iam import --store`,
 * AWSKEYS_STORE): a vault store (docs/vault.md) or, as before the vault, plaintext in the
 * credentials file.
 */
export const KEY_STORES = ['keychain', 'file', 'credentials'] as const;
export type KeyStore = (typeof KEY_STORES)[number];

export const STORE_VARIABLE = 'AWSKEYS_STORE';

/** AWSKEYS_STORE, checked (a typo is an error, not a silent plaintext key); undefined when unset or empty. */
export function storeFromEnv(env: NodeJS.ProcessEnv): KeyStore | undefined {
  const value = env[STORE_VARIABLE]?.trim();
  if (value === undefined || value === '') return undefined;
  if ((KEY_STORES as readonly string[]).includes(value)) return value as KeyStore;
  throw new UsageError(`${STORE_VARIABLE}=${value} is not a store; nothing was done.`, { hint: `set it to one of ${KEY_STORES.join(', ')}, or unset it` });
}
