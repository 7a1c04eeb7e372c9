import { Option } from 'commander';
import { KEY_STORES, STORE_VARIABLE } from '../../iam/key-store.js';

/** `--store` of create-key and import (iam/key-store.ts). */
export function storeOption(): Option {
  return new Option(
    '--store <store>',
    `where the profile's key goes: keychain (the OS keychain) or file (the encrypted vault file), read through credential_process; credentials: plaintext in the credentials file (default: ${STORE_VARIABLE}, else credentials)`,
  ).choices(KEY_STORES);
}
