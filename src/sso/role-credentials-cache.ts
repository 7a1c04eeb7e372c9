import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileError, isMissing, removeFileIfExists, writeFileAtomic } from '../aws-files/atomic-write.js';
import type { AwsCredentials } from '../output/credentials.js';
import { sha1HexUtf8 } from '../util/sha1.js';
import { pythonJsonDumps } from '../text/python-json.js';
import { formatTimestamp, parseTimestamp } from '../util/timestamp.js';
import { childPath } from '../util/child-path.js';

/**
 * SSO role credentials cached in the AWS CLI v2's own cache (~/.aws/cli/cache, protocol-reference
 * §3.4): same file names and content, so the AWS CLI reuses what awskeys fetched and the other way
 * round. One field is ours: "SessionKey" (the sso-session name or legacy start URL), so that
 * `awskeys sso logout` can remove exactly the entries of one session.
 */
export interface RoleCacheKey {
  accountId: string;
  roleName: string;
  /** The sso-session name; undefined for a legacy profile, which is keyed by its start URL. */
  sessionName?: string | undefined;
  startUrl: string;
}

/** Entries are reused until this long before they expire (the JS SDK's window). */
export const ROLE_CREDENTIALS_REUSE_MARGIN_MS = 5 * 60 * 1000;

/**
 * sha1 of Python's json.dumps(args, sort_keys=True, separators=(",", ":")), as botocore's
 * SSOCredentialFetcher._create_cache_key computes it: keys accountId, roleName, then sessionName
 * or startUrl (already in sorted order).
 */
export function roleCachePath(cliCacheDir: string, key: RoleCacheKey): string {
  const args: Record<string, string> =
    key.sessionName !== undefined
      ? { accountId: key.accountId, roleName: key.roleName, sessionName: key.sessionName }
      : { accountId: key.accountId, roleName: key.roleName, startUrl: key.startUrl };
  return childPath(cliCacheDir, `${sha1HexUtf8(pythonJsonDumps(args, { compact: true }))}.json`);
}

/** The value of our "SessionKey" field: what `sso logout` names a session by. */
export function sessionKeyOf(key: Pick<RoleCacheKey, 'sessionName' | 'startUrl'>): string {
  return key.sessionName ?? key.startUrl;
}

/**
 * The cached credentials when they are still good for more than five minutes; undefined
 * otherwise. An unreadable, foreign or malformed entry is a miss (botocore does the same), and the
 * next fetch replaces it.
 */
export async function readCachedRoleCredentials(
  cliCacheDir: string,
  key: RoleCacheKey,
  now: Date,
): Promise<AwsCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(roleCachePath(cliCacheDir, key), 'utf8');
  } catch {
    return undefined;
  }
  const creds = parseEntry(text);
  if (!creds?.expiration) return undefined;
  if (creds.expiration.getTime() - now.getTime() <= ROLE_CREDENTIALS_REUSE_MARGIN_MS) return undefined;
  return creds;
}

/**
 * Writes one entry in the AWS CLI's format plus our SessionKey, atomically, mode 0600 (an existing
 * file open to other users is tightened); returns warnings for the user.
 */
export async function writeCachedRoleCredentials(
  cliCacheDir: string,
  key: RoleCacheKey,
  creds: AwsCredentials & { sessionToken: string; expiration: Date },
): Promise<string[]> {
  const doc = {
    ProviderType: 'sso',
    Credentials: {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      SessionToken: creds.sessionToken,
      Expiration: formatTimestamp(creds.expiration),
      AccountId: creds.accountId ?? key.accountId,
    },
    SessionKey: sessionKeyOf(key),
  };
  return writeFileAtomic(roleCachePath(cliCacheDir, key), JSON.stringify(doc), { mode: 0o600 });
}

/**
 * Deletes the cached SSO role credentials of one session (entries whose SessionKey is
 * `sessionKey`), or with 'all' every SSO entry, including those the AWS CLI wrote (as
 * `aws sso logout` does). Other entries (assume-role caches) are never touched. Returns how many
 * files were removed.
 */
// 'all' is spelled out in the signature for its readers; the type checker sees plain string.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
export async function removeCachedRoleCredentials(cliCacheDir: string, sessionKey: string | 'all'): Promise<number> {
  let names: string[];
  try {
    names = await readdir(cliCacheDir);
  } catch (err) {
    if (isMissing(err)) return 0;
    throw fileError('list', cliCacheDir, err);
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const path = join(cliCacheDir, name);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      continue; // unreadable or not JSON: not ours to judge
    }
    if (!isSsoEntry(doc)) continue;
    if (sessionKey !== 'all' && doc.SessionKey !== sessionKey) continue;
    if (await removeFileIfExists(path)) removed += 1;
  }
  return removed;
}

interface SsoEntry {
  ProviderType: 'sso';
  Credentials?: unknown;
  SessionKey?: unknown;
}

function isSsoEntry(doc: unknown): doc is SsoEntry {
  return typeof doc === 'object' && doc !== null && (doc as { ProviderType?: unknown }).ProviderType === 'sso';
}

function parseEntry(text: string): AwsCredentials | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isSsoEntry(doc) || typeof doc.Credentials !== 'object' || doc.Credentials === null) return undefined;
  const c = doc.Credentials as Record<string, unknown>;
  const expiration = parseTimestamp(c.Expiration);
  if (typeof c.AccessKeyId !== 'string' || typeof c.SecretAccessKey !== 'string' || !expiration) return undefined;
  if (c.AccessKeyId === '' || c.SecretAccessKey === '') return undefined;
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: typeof c.SessionToken === 'string' ? c.SessionToken : undefined,
    expiration,
    accountId: typeof c.AccountId === 'string' ? c.AccountId : undefined,
  };
}

