import { createRequire } from 'node:module';
import type * as Keyring from '@napi-rs/keyring';
import { VaultUnavailableError } from '../errors/cli-error.js';

export type KeyringModule = typeof Keyring;

/**
 * Loads @napi-rs/keyring's native addon, on first use only (a profile in the keychain): every
 * other profile never pays for it. Through a plain require rather than import(): in the lean env
 * bundle (src/cli/entry.ts) a dynamic import() is a handover to the full program, while a
 * require made by createRequire is left alone by esbuild (it cannot follow it), so the addon is
 * found in node_modules at run time from either bundle (scripts/build.mjs makes import.meta.url
 * the CommonJS lean bundle's __filename: createRequire takes a path as well as a file URL).
 */
export function loadKeyring(): KeyringModule {
  try {
    return requireKeyring();
  } catch (err) {
    const reason = ((err as Error).message.split('\n')[0] ?? '').trim();
    throw new VaultUnavailableError(`The OS keychain cannot be used: its library (@napi-rs/keyring) did not load: ${reason}.`, {
      hint: `reinstall awskeys for this platform (${process.platform}-${process.arch}), or keep the key in the encrypted vault file instead (store "file")`,
      cause: err,
    });
  }
}

/** The addon itself; a failure is the package's own error (the lean path's peek only needs to know). */
export function requireKeyring(): KeyringModule {
  return createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
}
