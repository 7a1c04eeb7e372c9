import type { AwsCredentials } from '../output/credentials.js';
import { parseDuration } from '../text/duration.js';
import type { VaultItem } from '../vault/vault-types.js';
import type { AssumedRoleCredentials } from './assume-role-cache.js';
import { SESSION_DURATION, SESSION_REUSE_MARGIN_MS } from './mfa-session-cache.js';
import type { ResolveOptions } from './resolved.js';

/**
 * What both halves of the vault kind share (kinds/vault.ts serves a keychain hit in the lean
 * bundle, vault-credentials.ts everything else): which session fits, and the key's credentials.
 */

/** GetSessionToken's length for a vault profile without MFA, unless --duration says otherwise. */
export const VAULT_SESSION_SECONDS = 3600;

/** `--duration` of env, exec and credential-process: what GetSessionToken allows an IAM user. */
export function parseSessionDuration(value: string): number {
  return parseDuration(value, { minSeconds: 900, maxSeconds: 129_600, range: '15 minutes to 36 hours' });
}

/**
 * The session length asked for: --duration, else 1 h, or with mfa_serial the MFA session's 12 h
 * (one code per working day, as for an MFA profile with its keys in the credentials file).
 */
export function vaultSessionSeconds(serial: string | undefined, options: ResolveOptions): number {
  return options.sessionSeconds ?? (serial === undefined ? VAULT_SESSION_SECONDS : SESSION_DURATION.alone);
}

/**
 * Whether the named profile gets a session: not with --no-session, nor for the console
 * (mfaSession: false), whose federation call refuses session credentials and uses the key inside
 * awskeys, never handing it to anything.
 */
export function wantsSession(options: ResolveOptions): boolean {
  return options.session !== false && options.mfaSession !== false;
}

/**
 * The item's cached session when it was made with this key, for this MFA device (or none) and
 * length, and has more than 15 minutes left; else undefined.
 */
export function fittingSession(item: VaultItem | undefined, serial: string | undefined, durationSeconds: number, now: Date): AssumedRoleCredentials | undefined {
  const s = item?.session;
  if (s?.durationSeconds !== durationSeconds || s.mfaSerial !== serial) return undefined;
  const expiration = new Date(s.expiration);
  if (!(expiration.getTime() - now.getTime() > SESSION_REUSE_MARGIN_MS)) return undefined;
  return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiration };
}

export function keyCredentials(item: VaultItem, accountId: string | undefined): AwsCredentials {
  return { accessKeyId: item.key.accessKeyId, secretAccessKey: item.key.secretAccessKey, accountId };
}
