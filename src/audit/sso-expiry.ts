import { readFile } from 'node:fs/promises';
import type { SsoRoleTarget } from '../sso/role-credentials.js';
import { roleCachePath } from '../sso/role-credentials-cache.js';
import { readToken, tokenCachePath } from '../sso/token-cache.js';
import { parseTimestamp } from '../util/timestamp.js';

/** When an SSO profile's cached token and role credentials expire; null when nothing is cached. */
export interface SsoExpiry {
  tokenExpiresAt: Date | null;
  credentialsExpireAt: Date | null;
  /** A cache file that cannot be read as a token. */
  problem?: string | undefined;
  /** The cache files looked at that exist, for the privacy check. */
  files: string[];
}

/**
 * Reads the two caches shared with the AWS CLI (protocol-reference §3): the token under
 * ~/.aws/sso/cache and the role credentials under ~/.aws/cli/cache. Read only; a missing file is
 * "not logged in", not an error.
 */
export async function ssoExpiry(target: SsoRoleTarget, dirs: { ssoCacheDir: string; cliCacheDir: string }): Promise<SsoExpiry> {
  const tokenPath = tokenCachePath(dirs.ssoCacheDir, target);
  const rolePath = roleCachePath(dirs.cliCacheDir, target);
  const result: SsoExpiry = { tokenExpiresAt: null, credentialsExpireAt: null, files: [] };
  try {
    const token = await readToken(tokenPath);
    if (token) {
      result.tokenExpiresAt = token.expiresAt;
      result.files.push(tokenPath);
    }
  } catch (err) {
    result.problem = (err as Error).message;
    result.files.push(tokenPath);
  }
  const expiration = await roleCredentialsExpiration(rolePath);
  if (expiration !== undefined) {
    result.credentialsExpireAt = expiration;
    result.files.push(rolePath);
  }
  return result;
}

async function roleCredentialsExpiration(path: string): Promise<Date | undefined> {
  try {
    const doc = JSON.parse(await readFile(path, 'utf8')) as { Credentials?: { Expiration?: unknown } };
    return parseTimestamp(doc.Credentials?.Expiration);
  } catch {
    // Missing or foreign: the AWS CLI treats it as a miss too.
    return undefined;
  }
}
