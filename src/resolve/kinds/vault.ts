import { peekKeychainItem } from '../../vault/keychain-store.js';
import { vaultStoreOf } from '../../vault/vault-marker.js';
import { nonEmpty } from '../hints.js';
import type { KindCredentials, ProfileContext, ProfileKind, ProfileSettings } from '../profile-kind.js';
import { fittingSession, keyCredentials, vaultSessionSeconds, wantsSession } from '../vault-cached-session.js';

/**
 * A vault profile (`awskeys_vault = keychain|file`, vault/vault-profile.ts): its long-term key is
 * in the store, and awskeys reads it there itself, never through the profile's credential_process
 * (which would run awskeys again). Named, it gives a GetSessionToken session cached in the same
 * store item, so the key never reaches a shell or a child; with --no-session, for the console, or
 * as a role's source, the key (docs/vault.md, "Sessions"). Ahead of credential_process in the
 * chain: a vault profile has that line for the other tools.
 *
 * Split at its cache (src/cli/entry.ts, rule 5): a keychain item with a fitting session (or
 * --no-session) is served here, in the lean bundle, with the addon loaded by a plain require;
 * everything else (the vault file and its scrypt, a miss and its STS call, an MFA code, a role's
 * source, the reasons a keychain cannot be read) is vault-credentials.ts, behind import().
 */
export const vaultKind: ProfileKind = {
  name: 'vault',
  claims: (profile) => vaultStoreOf(profile) !== undefined,
  credentials: async (name, profile, use, ctx) => {
    const hit = use.as === 'named' && vaultStoreOf(profile) === 'keychain' ? keychainHit(name, profile, ctx) : undefined;
    if (hit) return hit;
    const { vaultCredentials } = await import('../vault-credentials.js');
    return vaultCredentials(name, profile, use, ctx);
  },
};

function keychainHit(name: string, profile: ProfileSettings, ctx: ProfileContext): KindCredentials | undefined {
  const item = peekKeychainItem(name);
  if (!item) return undefined;
  const accountId = nonEmpty(profile.aws_account_id);
  if (!wantsSession(ctx.options)) return { credentials: keyCredentials(item, accountId), kind: 'long-term' };
  const serial = nonEmpty(profile.mfa_serial);
  const session = fittingSession(item, serial, vaultSessionSeconds(serial, ctx.options), ctx.deps.clock.now());
  return session && { credentials: { ...session, accountId }, kind: serial === undefined ? 'temporary' : 'mfa-session' };
}
