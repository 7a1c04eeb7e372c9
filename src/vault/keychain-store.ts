import type { VaultDeps, VaultStore } from './vault-store.js';
import { VaultUnavailableError } from '../errors/cli-error.js';

/** Placeholder until the keychain store lands: the file store is the first one. */
export function keychainStore(deps: VaultDeps): VaultStore {
  void deps;
  const unavailable = (): Promise<never> =>
    Promise.reject(new VaultUnavailableError('The keychain store is not built yet.', { hint: 'use --store file' }));
  return { kind: 'keychain', location: 'the OS keychain', read: unavailable, write: unavailable, remove: unavailable, profiles: unavailable, probe: unavailable };
}
