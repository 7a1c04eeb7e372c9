import { join } from 'node:path';
import { sha256HexUtf8 } from '../util/sha256.js';

// Where an `aws login` session's cache file is: apart from login-cache.ts (which writes the file)
// because a valid cache is served on the lean path (src/cli/entry.ts rule 5), which needs the
// name and not the writer.

/** The cache folder: an empty AWS_LOGIN_CACHE_DIRECTORY counts as unset, as every AWS_* setting. */
export function loginCacheDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configured = env.AWS_LOGIN_CACHE_DIRECTORY;
  return configured !== undefined && configured !== '' ? configured : join(homeDir, '.aws', 'login', 'cache');
}

/** The cache file of one login session: `<dir>/<sha256 hex of the session ARN>.json` (plain JS, no node:crypto). */
export function loginCachePath(dir: string, loginSession: string): Promise<string> {
  return Promise.resolve(join(dir, `${sha256HexUtf8(loginSession)}.json`));
}
