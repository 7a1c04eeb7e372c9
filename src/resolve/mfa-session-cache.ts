import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../aws-files/atomic-write.js';
import { pythonJsonDumps } from '../text/python-json.js';
import { sha1HexUtf8 } from '../util/sha1.js';
import type { AssumedRoleCredentials } from './assume-role-cache.js';
import { formatTimestamp, parseTimestamp } from '../util/timestamp.js';
import { childPath } from '../util/child-path.js';

/**
 * MFA sessions (STS GetSessionToken with a code) cached in awskeys' own folder,
 * ~/.aws/awskeys/sessions (no SDK caches GetSessionToken, so there is no format to share), one
 * file per profile, access key id, MFA device and duration, 0600 in a 0700 folder. Read on the
 * lean path: a hit needs neither the SDK nor a code (docs/mfa.md).
 */

/** How long a session is asked for: used on its own, and as the source of an AssumeRole. */
export const SESSION_DURATION = {
  /** GetSessionToken's own default for IAM users: one code per working day. */
  alone: 43_200,
  /**
   * AWS refuses some AssumeRole calls made with a longer GetSessionToken session (aws-vault
   * #867), and a role assumed from temporary credentials lasts 1 h at most anyway.
   */
  feedingRole: 3_600,
} as const;

/** A session is reused only while more than this is left, so what env prints lasts a while. */
export const SESSION_REUSE_MARGIN_MS = 15 * 60 * 1000;

export interface SessionKey {
  profile: string;
  /** The long-term access key id the session was made with. */
  accessKeyId: string;
  serialNumber: string;
  durationSeconds: number;
}

export function sessionCachePath(sessionCacheDir: string, key: SessionKey): string {
  const args = { AccessKeyId: key.accessKeyId, DurationSeconds: key.durationSeconds, Profile: key.profile, SerialNumber: key.serialNumber };
  return childPath(sessionCacheDir, `${sha1HexUtf8(pythonJsonDumps(args))}.json`);
}

/**
 * The cached session for `key` when more than 15 minutes are left; undefined otherwise. An
 * unreadable, malformed or foreign entry (another key id or device: the file name is a hash) is
 * a miss, and the next GetSessionToken replaces it.
 */
export async function readCachedSession(sessionCacheDir: string, key: SessionKey, now: Date): Promise<AssumedRoleCredentials | undefined> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(sessionCachePath(sessionCacheDir, key), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { Profile, SourceAccessKeyId, SerialNumber, Credentials } = doc as Record<string, unknown>;
  if (Profile !== key.profile || SourceAccessKeyId !== key.accessKeyId || SerialNumber !== key.serialNumber) return undefined;
  if (typeof Credentials !== 'object' || Credentials === null) return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = Credentials as Record<string, unknown>;
  const expiration = parseTimestamp(Expiration);
  if (!isFilled(AccessKeyId) || !isFilled(SecretAccessKey) || !isFilled(SessionToken) || !expiration) return undefined;
  if (expiration.getTime() - now.getTime() <= SESSION_REUSE_MARGIN_MS) return undefined;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration };
}

/**
 * Atomically, 0600 (the folder is created 0700; an existing file open to other users is
 * tightened); returns warnings for the user.
 */
export async function writeCachedSession(sessionCacheDir: string, key: SessionKey, credentials: AssumedRoleCredentials): Promise<string[]> {
  const doc = {
    Profile: key.profile,
    SourceAccessKeyId: key.accessKeyId,
    SerialNumber: key.serialNumber,
    DurationSeconds: key.durationSeconds,
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: formatTimestamp(credentials.expiration),
    },
  };
  return writeFileAtomic(sessionCachePath(sessionCacheDir, key), `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
