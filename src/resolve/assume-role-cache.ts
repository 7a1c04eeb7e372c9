import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../aws-files/atomic-write.js';
import type { AwsCredentials } from '../output/credentials.js';
import { ROLE_CREDENTIALS_REUSE_MARGIN_MS } from '../sso/role-credentials-cache.js';
import { sha1HexUtf8 } from '../util/sha1.js';
import type { RoleProfile } from './role-profile.js';
import { pythonJsonDumps } from '../text/python-json.js';
import { formatTimestamp, parseTimestamp } from '../util/timestamp.js';
import { childPath } from '../util/child-path.js';

/**
 * Assume-role credentials cached where and as the AWS CLI caches them (~/.aws/cli/cache, botocore's
 * AssumeRoleCredentialFetcher with a JSONFileCache): same file name, same content (the AssumeRole
 * response), so the AWS CLI reuses what awskeys fetched and the other way round. No ProviderType
 * field, as botocore writes none: `sso logout` removes only "sso" entries, never these.
 */

/** Assumed-role credentials always carry a session token and an expiration. */
export type AssumedRoleCredentials = AwsCredentials & { sessionToken: string; expiration: Date };

/** The AssumeRole response, as much of it as the cache keeps. */
export interface AssumeRoleResult {
  credentials: AssumedRoleCredentials;
  assumedRoleUser: { AssumedRoleId: string; Arn: string } | undefined;
  requestId: string | undefined;
}

/**
 * botocore's BaseAssumeRoleCredentialFetcher._create_cache_key: sha1 of Python's
 * json.dumps(args, sort_keys=True) (default separators ", " and ": ") over the AssumeRole
 * arguments, RoleSessionName only when the profile sets one (a generated name changes per call).
 */
export function assumeRoleCachePath(cliCacheDir: string, role: RoleProfile): string {
  const args: Record<string, string | number> = { RoleArn: role.roleArn };
  if (role.roleSessionName !== undefined) args.RoleSessionName = role.roleSessionName;
  if (role.externalId !== undefined) args.ExternalId = role.externalId;
  if (role.mfaSerial !== undefined) args.SerialNumber = role.mfaSerial;
  if (role.durationSeconds !== undefined) args.DurationSeconds = role.durationSeconds;
  return childPath(cliCacheDir, `${sha1HexUtf8(pythonJsonDumps(args))}.json`);
}

/**
 * The cached credentials when they are good for more than five minutes (as SSO role credentials);
 * undefined otherwise. An unreadable or malformed entry is a miss, as in botocore, and the next
 * AssumeRole replaces it.
 */
export async function readCachedAssumedRole(
  cliCacheDir: string,
  role: RoleProfile,
  now: Date,
): Promise<AssumedRoleCredentials | undefined> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(assumeRoleCachePath(cliCacheDir, role), 'utf8'));
  } catch {
    return undefined;
  }
  const c = (doc as { Credentials?: unknown } | null)?.Credentials;
  if (typeof c !== 'object' || c === null) return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId } = c as Record<string, unknown>;
  const expiration = parseTimestamp(Expiration);
  if (typeof AccessKeyId !== 'string' || AccessKeyId === '' || typeof SecretAccessKey !== 'string' || SecretAccessKey === '') {
    return undefined;
  }
  if (typeof SessionToken !== 'string' || SessionToken === '' || !expiration) return undefined;
  if (expiration.getTime() - now.getTime() <= ROLE_CREDENTIALS_REUSE_MARGIN_MS) return undefined;
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    expiration,
    accountId: typeof AccountId === 'string' && AccountId !== '' ? AccountId : undefined,
  };
}

/**
 * Writes the entry as botocore does (AssumeRole response plus Credentials.AccountId), atomically,
 * 0600 (an existing file open to other users is tightened); returns warnings for the user.
 */
export async function writeCachedAssumedRole(cliCacheDir: string, role: RoleProfile, result: AssumeRoleResult): Promise<string[]> {
  const c = result.credentials;
  const doc = {
    Credentials: {
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      SessionToken: c.sessionToken,
      Expiration: formatTimestamp(c.expiration),
      ...(c.accountId !== undefined ? { AccountId: c.accountId } : {}),
    },
    ...(result.assumedRoleUser ? { AssumedRoleUser: result.assumedRoleUser } : {}),
    ResponseMetadata: { RequestId: result.requestId ?? '', HTTPStatusCode: 200, RetryAttempts: 0 },
  };
  return writeFileAtomic(assumeRoleCachePath(cliCacheDir, role), JSON.stringify(doc), { mode: 0o600 });
}

/** The account of an `arn:aws:sts::ACCOUNT:assumed-role/...` ARN, as botocore reads it. */
export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account !== undefined && isAccountId(account) ? account : undefined;
}

/** /^\d{12}$/ as a loop: no regular expression to compile on a cache hit (docs/env.md, "Speed"). */
function isAccountId(text: string): boolean {
  if (text.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
