import { CredentialsError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { vaultStoreOf } from '../vault/vault-marker.js';
import { openVaultStore, type VaultItem, type VaultSession, type VaultStore } from '../vault/vault-store.js';
import type { AssumedRoleCredentials } from './assume-role-cache.js';
import { cacheOrWarn } from './cache-or-warn.js';
import { nonEmpty } from './hints.js';
import type { KindCredentials, ProfileContext, ProfileSettings, ProfileUse } from './profile-kind.js';
import { fittingSession, keyCredentials, vaultSessionSeconds, wantsSession } from './vault-cached-session.js';

/**
 * A vault profile's credentials from its store (kinds/vault.ts has the rules): the key, or its
 * session, cached in the store item beside the key. Loaded with import(): in the lean bundle this
 * is the hand-over (the file store's scrypt, the keychain's error mapping, STS, an MFA code).
 */
export async function vaultCredentials(name: string, profile: ProfileSettings, use: ProfileUse, ctx: ProfileContext): Promise<KindCredentials> {
  const store = await openVaultStore(vaultStoreOf(profile)!, ctx.deps);
  const item = await readItem(name, store);
  const accountId = nonEmpty(profile.aws_account_id);
  const keys = keyCredentials(item, accountId);
  const serial = nonEmpty(profile.mfa_serial);
  // As a role's source: the key, and AssumeRole sends the serial with a code itself (the role's
  // own credentials are cached by the assume-role cache).
  if (use.as === 'source') return { credentials: keys, kind: 'long-term', ...(serial !== undefined ? { serialForRole: serial } : {}) };
  if (!wantsSession(ctx.options)) return { credentials: keys, kind: 'long-term' };
  const credentials = await session(name, item, store, serial, ctx);
  return { credentials: { ...credentials, accountId }, kind: serial === undefined ? 'temporary' : 'mfa-session' };
}

async function readItem(name: string, store: VaultStore): Promise<VaultItem> {
  const item = await store.read(name);
  if (item) return item;
  throw new CredentialsError(`Profile ${name} keeps its key in the vault (${store.kind}), but ${store.location} has no key for it.`, {
    hint: `store it again: awskeys iam import --profile ${shellWord(name)} --store ${store.kind}`,
  });
}

/** The item's fitting session, else a new one from STS, cached in the item. */
async function session(name: string, item: VaultItem, store: VaultStore, serial: string | undefined, ctx: ProfileContext): Promise<AssumedRoleCredentials> {
  const { deps } = ctx;
  const durationSeconds = vaultSessionSeconds(serial, ctx.options);
  const fitting = (candidate: VaultItem | undefined) =>
    candidate?.key.accessKeyId === item.key.accessKeyId ? fittingSession(candidate, serial, durationSeconds, deps.clock.now()) : undefined;
  const hit = fitting(item);
  if (hit) return hit;

  const keys = { accessKeyId: item.key.accessKeyId, secretAccessKey: item.key.secretAccessKey };
  const fresh = async (): Promise<AssumedRoleCredentials> => {
    const { getKeySession, getMfaSession } = await import('./mfa-session.js');
    const sts = { aws: deps.aws, region: ctx.region };
    const got =
      serial === undefined
        ? await getKeySession(name, keys, durationSeconds, sts)
        : await getMfaSession({ profile: name, keys, serialNumber: serial, durationSeconds }, { ...sts, codes: ctx.codes });
    const cached: VaultSession = {
      accessKeyId: got.accessKeyId,
      secretAccessKey: got.secretAccessKey,
      sessionToken: got.sessionToken,
      expiration: got.expiration.toISOString(),
      durationSeconds,
      ...(serial !== undefined ? { mfaSerial: serial } : {}),
    };
    // Read again: the key may have changed meanwhile (a rotation), and a session is only ever
    // cached beside the key it was made with.
    await cacheOrWarn(deps, 'Vault session', async () => {
      const now = await store.read(name);
      if (now?.key.accessKeyId === item.key.accessKeyId) await store.write(name, { ...now, session: cached });
      return [];
    });
    return got;
  };
  if (serial === undefined) return fresh();
  // One prompt per MFA device at a time (D31): a run that waited takes the other's session.
  const { oneMfaPromptAtATime } = await import('./mfa-prompt-lock.js');
  return oneMfaPromptAtATime(serial, ctx.files.paths.sessionCacheDir, deps, async () => fitting(await store.read(name)) ?? fresh());
}
