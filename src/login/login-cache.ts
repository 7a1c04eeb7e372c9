import { writeFileAtomic } from '../aws-files/atomic-write.js';
import { pythonJsonDumps } from '../text/python-json.js';

/**
 * The `aws login` cache shared with the AWS CLI, botocore and the JS SDK:
 * `<AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache>/<sha256 hex of the login session ARN>.json`.
 * Written as botocore's JSONFileCache writes it (json.dumps without sort_keys: the fields in the
 * CLI's order, ", " and ": " separators, non-ASCII escaped), atomically and at 0600, so a login
 * made by any of the three is used by the others (third-wave-reference.md section 3).
 */
export interface LoginCacheDoc {
  accessToken: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    accountId: string;
    /** %Y-%m-%dT%H:%M:%SZ, as the CLI writes it. */
    expiresAt: string;
  };
  tokenType: string;
  clientId: string;
  refreshToken: string;
  idToken: string;
  /** The DPoP private key, PEM "EC PRIVATE KEY" (SEC1). */
  dpopKey: string;
  /** Fields another tool added (the JS SDK reads `signInRegion`): kept as they are. */
  [other: string]: unknown;
}

export { loginCacheDir, loginCachePath } from './login-cache-path.js';

/** The AWS CLI's timestamp: whole seconds, UTC, a literal Z. */
export function cliTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The file's text, byte for byte what botocore writes for the same document. */
export function formatLoginCache(doc: LoginCacheDoc): string {
  return pythonJsonDumps(doc, { sortKeys: false });
}

/** Writes the document atomically at 0600; returns writeFileAtomic's warnings for the user. */
export function writeLoginCache(path: string, doc: LoginCacheDoc): Promise<string[]> {
  return writeFileAtomic(path, formatLoginCache(doc), { mode: 0o600 });
}
